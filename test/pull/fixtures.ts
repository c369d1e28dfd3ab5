import type { PullSource, Resolution } from '../../src/resolve/resolution.ts';

/** A PullSource written by hand (unit tests construct Resolutions directly). */
export function source(reference: string, extra: Partial<PullSource> = {}): PullSource {
  return { location: reference.split('/')[0]!, insecure: false, reference, blocked: false, mirror: true, ...extra };
}

export function resolution(ref: string, sources: PullSource[], extra: Partial<Resolution> = {}): Resolution {
  const last = sources[sources.length - 1];
  if (last && extra.sources === undefined) last.mirror = false;
  return { ref, normalized: ref.replace(/^docker:\/\//, ''), registry: null, sources, skipped: [], error: null, ...extra };
}
