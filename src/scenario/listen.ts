/**
 * Where `pullpath mock` binds each registry of a scenario. Firewall rules and other clients need fixed
 * addresses, so besides random loopback ports (the default) and `--same-ports` there are:
 * - `--listen NAME=ADDR:PORT`: one registry (NAME as the scenario's [[registry]] host) on exactly that
 *   address; only an address the user wrote is ever bound besides loopback;
 * - `--base-port N`: the i-th [[registry]] (0-based, file order) on 127.0.0.1:N+i.
 * A `--listen` wins over `--base-port` for its registry.
 */
import { isIP } from 'node:net';
import { UsageError } from '../errors.ts';
import { splitHostPort } from './environment.ts';

export interface ListenAddress {
  bind: string;
  port: number;
}

export interface ListenRequest {
  /** The registry host as written after `--listen` (before the `=`). */
  name: string;
  address: ListenAddress;
}

function parsePort(text: string, what: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${what}: expected a port 1-65535, got "${text}"`);
  return n;
}

/** Parses `NAME=ADDR:PORT` (`ADDR` an IPv4 address or a bracketed IPv6 one, e.g. `[::1]:5000`). */
export function parseListen(spec: string): ListenRequest {
  const eq = spec.indexOf('=');
  const usage = `--listen "${spec}": expected NAME=ADDR:PORT, e.g. --listen mirror.example.com=127.0.0.1:5000`;
  if (eq <= 0) throw new UsageError(usage);
  const name = spec.slice(0, eq);
  const m = /^(\[[^\]]+\]|[^:[\]]+):([^:]+)$/.exec(spec.slice(eq + 1));
  if (!m) throw new UsageError(usage);
  const bind = m[1]!.replace(/^\[|\]$/g, '');
  if (isIP(bind) === 0) throw new UsageError(`--listen "${spec}": "${bind}" is not an IP address (give the address to bind, e.g. 127.0.0.1 or [::1])`);
  return { name, address: { bind, port: parsePort(m[2]!, `--listen "${spec}"`) } };
}

export function parseBasePort(text: string): number {
  return parsePort(text, '--base-port');
}

/**
 * The address for each registry host (in file order), or null for a random loopback port. NAME matches a
 * host exactly, or its host part when the scenario declares a single registry with that name.
 */
export function placeRegistries(hosts: readonly string[], listen: readonly ListenRequest[], basePort: number | null): (ListenAddress | null)[] {
  const placed: (ListenAddress | null)[] = hosts.map((_, i) => (basePort === null ? null : { bind: '127.0.0.1', port: basePort + i }));
  if (basePort !== null && basePort + hosts.length - 1 > 65535) throw new UsageError(`--base-port ${basePort}: ${hosts.length} registries need ports up to ${basePort + hosts.length - 1}, above 65535`);
  const used = new Set<number>();
  for (const req of listen) {
    let i = hosts.indexOf(req.name);
    if (i < 0) {
      const same = hosts.flatMap((h, j) => (splitHostPort(h).host === req.name.toLowerCase() ? [j] : []));
      if (same.length === 1) i = same[0]!;
    }
    if (i < 0) throw new UsageError(`--listen ${req.name}=…: the scenario has no [[registry]] with host "${req.name}" (hosts: ${hosts.join(', ') || 'none'})`);
    if (used.has(i)) throw new UsageError(`--listen ${req.name}=…: given twice for the same registry`);
    used.add(i);
    placed[i] = req.address;
  }
  const seen = new Map<string, string>();
  for (const [i, a] of placed.entries()) {
    if (a === null) continue;
    const key = `${a.bind}:${a.port}`;
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`${hosts[i]} and ${other} would both listen on ${key}: give each its own address or port`);
    seen.set(key, hosts[i]!);
  }
  return placed;
}
