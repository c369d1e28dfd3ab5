/**
 * Every endpoint a registries configuration can send pulls to: each `[[registry]]` location and each
 * mirror, with its flags, plus the registries of the images given that no entry covers. Each endpoint
 * gets a canary (a real image to HEAD) when one is known for its prefix: `--canary PREFIX=REF`, or the
 * first image given under that prefix. The canary's physical reference on each endpoint comes from the
 * resolver (never rewritten here), so a digest-only mirror gets no tag canary, exactly as the runtime
 * would skip it.
 */
import type { RegistriesConfig } from '../config/types.ts';
import { compileConfig, findRegistry } from '../resolve/compile.ts';
import { formatOrigin } from '../resolve/origin.ts';
import { resolveArg } from '../resolve/resolve.ts';
import type { Resolution } from '../resolve/resolution.ts';
import { UsageError } from '../errors.ts';
import type { ProbeEndpoint, SkippedEndpoint } from './probe-types.ts';

export interface ProbePlanInput {
  config: RegistriesConfig;
  /** `--canary PREFIX=REF` pairs. */
  canaries?: { prefix: string; ref: string }[];
  /** Images given on the command line or with --images (canaries by default, and extra endpoints). */
  images?: string[];
  /**
   * `--mirrors-only`: probe mirror endpoints only. In a disconnected cluster the sources are expected to be
   * down (that is why the mirrors exist), so a primary is listed as skipped with the reason instead of
   * being probed and failing the run.
   */
  mirrorsOnly?: boolean;
}

export interface ProbePlan {
  endpoints: ProbeEndpoint[];
  skipped: SkippedEndpoint[];
  /** Notes for people: canaries that did not resolve, prefixes without a canary. */
  notes: string[];
  /** Per prefix, the endpoints (locations) a pull under it tries, in the runtime's order (mirrors, then the location). */
  prefixes: { prefix: string; endpoints: string[] }[];
}

/** Parses `PREFIX=REF` (the prefix as written in registries.conf). */
export function parseCanary(spec: string): { prefix: string; ref: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) {
    throw new UsageError(`--canary "${spec}": expected PREFIX=REF, e.g. --canary quay.io/openshift-release-dev=quay.io/openshift-release-dev/ocp-release@sha256:…`);
  }
  return { prefix: spec.slice(0, eq), ref: spec.slice(eq + 1) };
}

const hostOf = (location: string): string => location.split('/')[0]!;

export function planProbe(input: ProbePlanInput): ProbePlan {
  const compiled = compileConfig(input.config);
  const byLocation = new Map<string, ProbeEndpoint>();
  const skipped: SkippedEndpoint[] = [];
  const notes: string[] = [];

  const order = new Map<string, string[]>();
  const add = (ep: Omit<ProbeEndpoint, 'host' | 'prefixes' | 'canary'> & { prefix: string }): ProbeEndpoint => {
    const seq = order.get(ep.prefix) ?? [];
    if (!seq.includes(ep.location)) seq.push(ep.location);
    order.set(ep.prefix, seq);
    const existing = byLocation.get(ep.location);
    if (existing) {
      if (!existing.prefixes.includes(ep.prefix)) existing.prefixes.push(ep.prefix);
      existing.insecure ||= ep.insecure;
      return existing;
    }
    const { prefix, ...rest } = ep;
    const created: ProbeEndpoint = { ...rest, host: hostOf(ep.location), prefixes: [prefix], canary: null };
    byLocation.set(ep.location, created);
    return created;
  };

  /** Gives each source of a resolved canary its physical reference on that endpoint. */
  const attachCanary = (r: Resolution): void => {
    for (const s of r.sources) {
      const ep = byLocation.get(s.location);
      if (ep && ep.canary === null && !s.blocked) ep.canary = s.reference;
    }
  };

  for (const entry of input.config.registries) {
    const origin = formatOrigin(entry.origin);
    for (const m of entry.mirrors) {
      const own = findRegistry(compiled, m.location); // the entry matching the mirror's own name decides blocking
      if (own?.blocked) {
        skipped.push({ location: m.location, reason: `blocked by [[registry]] "${own.prefix}" (${formatOrigin(own.origin)}): never contacted`, origin: formatOrigin(m.origin) });
        continue;
      }
      const pfm = entry.mirrorByDigestOnly ? 'digest-only' : m.pullFromMirror;
      add({ location: m.location, insecure: m.insecure, role: 'mirror', prefix: entry.prefix, pullFromMirror: pfm, origin: formatOrigin(m.origin) });
    }
    if (entry.blocked) {
      skipped.push({ location: entry.location || entry.prefix, reason: `blocked in registries.conf (${origin}): the runtime never contacts it`, origin });
    } else if (entry.location === '') {
      skipped.push({ location: entry.prefix, reason: `wildcard prefix without a location: no single host to probe (${origin})`, origin });
    } else {
      add({ location: entry.location, insecure: entry.insecure, role: 'primary', prefix: entry.prefix, pullFromMirror: '', origin });
    }
  }

  // Explicit canaries first (they win), then the images given.
  for (const c of input.canaries ?? []) {
    const entry = input.config.registries.find((e) => e.prefix === c.prefix);
    if (!entry) throw new UsageError(`--canary ${c.prefix}=…: no [[registry]] has prefix "${c.prefix}" (prefixes: ${input.config.registries.map((e) => e.prefix).join(', ') || 'none'})`);
    const r = resolveArg(compiled, c.ref);
    if (r.error !== null) throw new UsageError(`--canary ${c.prefix}=${c.ref}: ${r.error}`);
    if (r.registry?.prefix !== c.prefix) throw new UsageError(`--canary ${c.prefix}=${c.ref}: that image matches [[registry]] "${r.registry?.prefix ?? '(none)'}", not "${c.prefix}"`);
    attachCanary(r);
  }
  for (const image of input.images ?? []) {
    const r = resolveArg(compiled, image);
    if (r.error !== null) {
      notes.push(`${image}: ${r.error}`);
      continue;
    }
    if (r.registry === null) {
      // No entry covers it: the image's own registry is an endpoint too.
      for (const s of r.sources) add({ location: s.location, insecure: s.insecure, role: 'primary', prefix: hostOf(s.location), pullFromMirror: '', origin: null });
    }
    attachCanary(r);
  }
  let endpoints = [...byLocation.values()];
  if (input.mirrorsOnly === true) {
    // A location that is some entry's mirror stays, even when it is also another entry's primary.
    const mirrorLocations = new Set(input.config.registries.flatMap((e) => e.mirrors.map((m) => m.location)));
    for (const ep of endpoints) {
      if (mirrorLocations.has(ep.location)) continue;
      skipped.push({ location: ep.location, reason: `source of ${ep.prefixes.join(', ')}: not probed with --mirrors-only (a disconnected cluster expects it to be down)`, origin: ep.origin });
    }
    endpoints = endpoints.filter((ep) => mirrorLocations.has(ep.location));
  }
  for (const ep of endpoints) {
    if (ep.canary === null) notes.push(`${ep.location}: no canary image (give --canary ${ep.prefixes[0]}=REF, by digest for digest-only mirrors): only /v2/ is probed`);
  }
  const kept = new Set(endpoints.map((e) => e.location));
  const prefixes = [...order].map(([prefix, locs]) => ({ prefix, endpoints: locs.filter((l) => kept.has(l)) })).filter((p) => p.endpoints.length > 0);
  return { endpoints, skipped, notes, prefixes };
}
