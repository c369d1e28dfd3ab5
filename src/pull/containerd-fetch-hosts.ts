/**
 * The hosts containerd walks to fetch content after a tag resolved (fetcher.go: every host, in order, whatever
 * its capabilities; only "no host has pull" is an error). For a tag, `resolveContainerd` leaves `pull`-only hosts
 * out of `sources` (they cannot resolve a tag), yet containerd fetches the manifest by digest and the blobs from
 * them first when they come first. The digest form of the same reference resolves on every `pull` host, in
 * containerd's order: that list is the fetch walk.
 */
import type { ContainerdSetup } from '../containerd/setup.ts';
import { resolveContainerd } from '../containerd/resolve.ts';
import type { Resolution } from '../resolve/resolution.ts';

/** A digest that only stands in for "some digest" (never sent). */
const ANY_DIGEST = 'sha256:' + '0'.repeat(64);

/** `resolution` with `containerdFetchHosts` filled (unchanged when it is not a containerd tag resolution). */
export function withContainerdFetchHosts(setup: ContainerdSetup, resolution: Resolution): Resolution {
  if (resolution.runtime !== 'containerd' || resolution.normalized === null || resolution.containerdFetchHosts) return resolution;
  const n = resolution.normalized;
  if (n.includes('@')) return resolution; // a digest reference: `sources` already are the pull hosts
  const slash = n.indexOf('/');
  const colon = n.lastIndexOf(':');
  const name = colon > slash ? n.slice(0, colon) : n;
  const asDigest = resolveContainerd(setup, `${name}@${ANY_DIGEST}`);
  const hosts = asDigest.sources.map((s) => s.containerd).filter((e) => e !== undefined);
  return hosts.length > 0 ? { ...resolution, containerdFetchHosts: hosts } : resolution;
}
