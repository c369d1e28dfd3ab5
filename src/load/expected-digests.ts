/**
 * The digest each load-test image must come back with, from the scenario's own description: a digest
 * reference names it; a tag is looked up on the mock that plays the image's source (primary location).
 * A pull that succeeds with anything else accepted wrong content (a stale or corrupt mirror).
 */
import type { MockRegistrySpec } from '../mock/spec.ts';
import { mockImageDigest } from '../mock/image-builder.ts';
import type { Resolution } from '../resolve/resolution.ts';

function splitRef(reference: string): { host: string; path: string; tag: string | null; digest: string | null } {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : null;
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const slash = named.indexOf('/');
  const host = named.slice(0, slash);
  const rest = named.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  return colon >= 0 ? { host, path: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { host, path: rest, tag: null, digest };
}

export function expectedDigest(r: Resolution, specs: readonly MockRegistrySpec[]): string | null {
  const sources = r.candidates?.length ? r.candidates[0]!.sources : r.sources;
  const primary = sources.find((s) => !s.mirror) ?? sources.at(-1);
  if (!primary) return null;
  const ref = splitRef(primary.reference);
  if (ref.digest) return ref.digest;
  const spec = specs.find((s) => s.host.toLowerCase() === ref.host.toLowerCase());
  const image = spec?.images?.find((i) => i.repository === ref.path && (i.tags ?? ['latest']).includes(ref.tag ?? 'latest'));
  return image ? mockImageDigest(image) : null;
}
