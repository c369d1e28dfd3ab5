/**
 * When a containerd side (hosts.toml) takes part in a diff, sources are compared and shown by what is contacted:
 * `scheme://host/path` + the repository (and containerd's `?ns=`), not by a registries.conf-style reference.
 * containerd keeps the repository path and moves the host URL (`override_path`, path prefixes), so its
 * `reference` (host + repository) drops exactly what a hosts.toml change or a registries.conf → hosts.toml
 * conversion changes. A containers/image source is put in the same terms (it asks `https://host/v2/<repo>`
 * first), so the same URL on both sides compares equal. Pure.
 */
import type { PullSource, Resolution, SkippedMirror } from '../resolve/resolution.ts';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';

/** Whether either side resolves by containerd's rules: then both are compared by contacted URL. */
export function involvesContainerd(a: Resolution, b: Resolution): boolean {
  return a.runtime === 'containerd' || b.runtime === 'containerd';
}

/** `host/repo…` (containers/image) → the URL containers/image asks first: `https://host/v2/repo…`. */
function containersImageUrl(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return ref;
  const host = ref.slice(0, slash);
  return `https://${host === 'docker.io' ? 'registry-1.docker.io' : host}/v2/${ref.slice(slash + 1)}`;
}

/** The URL containerd contacts for a source, `?ns=` appended when containerd sends it. */
function containerdUrl(s: PullSource, ep: ContainerdEndpoint): string {
  const tail = s.reference.startsWith(ep.host) ? s.reference.slice(ep.host.length) : s.reference.slice(s.reference.indexOf('/'));
  return `${ep.scheme}://${ep.host}${ep.path}${tail}${ep.ns !== null ? `?ns=${ep.ns}` : ''}`;
}

/**
 * The comparison key of a displayed contact: the URL without `?ns=`. containerd derives ns from the image and the
 * host, so between two containerd sides the same URL for the same image carries the same ns; containers/image never
 * sends it, so counting it would make every mirror differ across runtimes.
 */
export function contactKey(reference: string): string {
  const q = reference.lastIndexOf('?ns=');
  return q < 0 ? reference : reference.slice(0, q);
}

function viewSource(s: PullSource): PullSource {
  return { ...s, reference: s.containerd !== undefined ? containerdUrl(s, s.containerd) : containersImageUrl(s.reference) };
}

function viewSkipped(k: SkippedMirror, containerd: boolean): SkippedMirror {
  // containerd's skipped locations are already scheme://host/path; containers/image's are host/path.
  return containerd || k.location.includes('://') ? k : { ...k, location: containersImageUrl(k.location) };
}

/** A copy of a Resolution whose sources (and skipped mirrors) are named by the URL contacted. */
export function byContact(r: Resolution): Resolution {
  const containerd = r.runtime === 'containerd';
  const out: Resolution = { ...r, sources: r.sources.map(viewSource), skipped: r.skipped.map((k) => viewSkipped(k, containerd)) };
  if (r.candidates !== undefined) {
    out.candidates = r.candidates.map((c) => ({ ...c, sources: c.sources.map(viewSource), skipped: c.skipped.map((k) => viewSkipped(k, containerd)) }));
  }
  return out;
}

/**
 * What a containerd entry means beyond its directory name: the settings of every host it makes containerd contact
 * (capabilities, TLS, headers, timeouts), with files under the directory named relative to it, so two trees in
 * different places holding the same files compare equal. Header values are compared, never shown.
 */
export function containerdEntrySignature(r: Resolution): string {
  const dir = r.registry?.location ?? '';
  const rel = (p: string) => (dir !== '' && p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p);
  const hosts = [...r.sources.map((s) => s.containerd), ...(r.containerdFetchHosts ?? [])].filter((e): e is ContainerdEndpoint => e !== undefined);
  return JSON.stringify(
    hosts.map((e) => [
      e.scheme, e.host, e.path, e.capabilities, e.skipVerify, e.caFiles.map(rel),
      e.clientCerts.map((c) => [rel(c.cert), c.key === null ? null : rel(c.key)]),
      e.headers, e.dialTimeoutMs, e.httpFallback === true, e.isServer,
    ]),
  );
}
