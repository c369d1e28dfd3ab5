/**
 * Host map: `--connect-to HOST[:PORT]:ADDR:PORT`, as curl's `--connect-to`.
 * A configured registry host is dialled at another address while everything the user sees
 * (TLS SNI, the Host header, references, URLs in errors) keeps the configured name. Scenarios and tests
 * use it to point `mirror.example.com` at a loopback server; registry names in configs stay data.
 */
import { UsageError } from '../errors.ts';

export interface HostMapEntry {
  /** Configured host name, lower-case, without brackets. */
  host: string;
  /** Configured port, or null to match any port. */
  port: number | null;
  /** Address to dial instead (IPv6 without brackets). */
  addr: string;
  /** Port to dial instead. */
  toPort: number;
  /** The spec as given, for messages. */
  spec: string;
}

export interface DialTarget {
  hostname: string;
  port: number;
}

/** Splits on ':' outside `[...]`, so IPv6 literals may be written in brackets. */
function splitColons(spec: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of spec) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function unbracket(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function parsePort(text: string, spec: string, what: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new UsageError(`--connect-to ${JSON.stringify(spec)}: ${what} must be a port number 1-65535, got ${JSON.stringify(text)}`);
  }
  return n;
}

/**
 * Parses one `--connect-to` value: `HOST:ADDR:PORT` (any port of HOST) or `HOST:PORT:ADDR:PORT`.
 * IPv6 addresses go in brackets: `mirror.example.com:443:[::1]:5000`.
 */
export function parseConnectTo(spec: string): HostMapEntry {
  const parts = splitColons(spec);
  const usage = `--connect-to ${JSON.stringify(spec)}: expected HOST[:PORT]:ADDR:PORT (e.g. mirror.example.com:443:127.0.0.1:5000)`;
  let host: string, port: number | null, addr: string, toPort: number;
  if (parts.length === 3) {
    [host, addr] = [parts[0]!, parts[1]!];
    port = null;
    toPort = parsePort(parts[2]!, spec, 'the target PORT');
  } else if (parts.length === 4) {
    host = parts[0]!;
    port = parts[1] === '' ? null : parsePort(parts[1]!, spec, 'the configured PORT');
    addr = parts[2]!;
    toPort = parsePort(parts[3]!, spec, 'the target PORT');
  } else {
    throw new UsageError(usage);
  }
  host = unbracket(host).toLowerCase();
  addr = unbracket(addr);
  if (host === '' || addr === '') throw new UsageError(usage);
  return { host, port, addr, toPort, spec };
}

/** A lookup over host-map entries: an exact host:port entry wins over a host-only entry. */
export class HostMap {
  readonly entries: readonly HostMapEntry[];
  constructor(entries: readonly HostMapEntry[] = []) {
    this.entries = entries;
  }

  static parse(specs: readonly string[]): HostMap {
    return new HostMap(specs.map(parseConnectTo));
  }

  /** Where to dial `hostname:port`, or null when the name is dialled as is. */
  lookup(hostname: string, port: number): DialTarget | null {
    const h = unbracket(hostname).toLowerCase();
    const exact = this.entries.find((e) => e.host === h && e.port === port);
    const any = exact ?? this.entries.find((e) => e.host === h && e.port === null);
    return any ? { hostname: any.addr, port: any.toPort } : null;
  }
}
