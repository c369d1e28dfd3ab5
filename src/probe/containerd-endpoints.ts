/**
 * `probe --runtime containerd`: every host containerd can send pulls to, from its hosts directories (each
 * directory's hosts in order, then `server` or the registry itself) and from the images given (their resolved
 * hosts, each with the image as its canary on that host). Hosts are identified by their URL (`scheme://host/path`),
 * as containerd contacts them; a `pull`-only host gets a canary only from a digest image (it never resolves tags).
 */
import type { ContainerdSetup } from '../containerd/setup.ts';
import { resolveContainerd } from '../containerd/resolve.ts';
import type { Resolution } from '../resolve/resolution.ts';
import type { ProbePlan } from './endpoints.ts';
import type { ProbeEndpoint, SkippedEndpoint } from './probe-types.ts';

export interface ContainerdProbeInput {
  setup: ContainerdSetup;
  images?: string[];
  mirrorsOnly?: boolean;
}

/** A directory name as the registry it configures (`host_port_` and `host:port` → `host:port`); null for `_default`. */
function registryOfDir(name: string): string | null {
  if (name === '_default') return null;
  const m = /^(.*)_(\d+)_$/.exec(name);
  return m ? `${m[1]}:${m[2]}` : name;
}

export function planContainerdProbe(input: ContainerdProbeInput): ProbePlan {
  const byLocation = new Map<string, ProbeEndpoint>();
  const skipped: SkippedEndpoint[] = [];
  const notes: string[] = [];
  // Per registry, the hosts a pull under it tries, in containerd's order (for the per-prefix gauges).
  const order = new Map<string, string[]>();
  const take = (r: Resolution, registry: string, withCanary: boolean): void => {
    const locs = order.get(registry) ?? [];
    order.set(registry, locs);
    for (const s of r.sources) {
      const ep = s.containerd;
      if (!ep) continue;
      const location = `${ep.scheme}://${ep.host}${ep.path}`;
      let e = byLocation.get(location);
      if (!e) {
        e = { location, host: ep.host, insecure: ep.scheme === 'http' || ep.skipVerify, role: ep.isServer ? 'primary' : 'mirror', prefixes: [], pullFromMirror: ep.capabilities.join(','), origin: s.origin ?? null, canary: null, containerd: ep };
        byLocation.set(location, e);
      }
      if (!e.prefixes.includes(registry)) e.prefixes.push(registry);
      if (!locs.includes(location)) locs.push(location);
      if (withCanary && e.canary === null) e.canary = s.reference;
    }
    for (const k of r.skipped) if (!skipped.some((x) => x.location === k.location)) skipped.push({ location: k.location, reason: k.reason, origin: k.origin ?? null });
  };
  // Hosts of every directory (a placeholder reference: no canary from it).
  for (const dirs of input.setup.dirs) {
    for (const name of dirs.keys()) {
      const registry = registryOfDir(name);
      if (registry === null) {
        notes.push(`_default: its hosts are probed for the images given (they apply to every registry without its own directory)`);
        continue;
      }
      const r = resolveContainerd(input.setup, `${registry}/pullpath/probe@sha256:${'0'.repeat(64)}`);
      if (r.error === null) take(r, registry, false);
    }
  }
  for (const image of input.images ?? []) {
    const r = resolveContainerd(input.setup, image);
    if (r.error !== null) {
      notes.push(`${image}: ${r.error}`);
      continue;
    }
    const registry = r.normalized!.split('/')[0]!;
    take(r, registry, true);
  }
  let endpoints = [...byLocation.values()];
  if (input.mirrorsOnly === true) {
    for (const e of endpoints.filter((x) => x.role === 'primary')) {
      skipped.push({ location: e.location, reason: `server of ${e.prefixes.join(', ')}: not probed with --mirrors-only (a disconnected cluster expects it to be down)`, origin: e.origin });
    }
    endpoints = endpoints.filter((e) => e.role !== 'primary');
  }
  for (const e of endpoints) {
    if (e.canary === null) notes.push(`${e.location}: no canary image (give images: REF arguments or --images FILE): only ${e.containerd!.path}/ is probed`);
  }
  const kept = new Set(endpoints.map((e) => e.location));
  const prefixes = [...order].map(([prefix, locs]) => ({ prefix, endpoints: locs.filter((l) => kept.has(l)) })).filter((p) => p.endpoints.length > 0);
  return { endpoints, skipped, notes, prefixes };
}
