/**
 * Splits a physical reference as the resolver writes it (`host[:port]/path:tag` or `host[:port]/path@digest`)
 * into what the wire needs. The resolver has already normalized and validated it.
 */
export interface PhysicalRef {
  /** `host[:port]` (the reference's domain). */
  host: string;
  /** Repository path without the host: `lib/hello`. */
  path: string;
  /** `host/path`, the runtime's `ref.Name()`. */
  name: string;
  /** The tag, or the digest (`sha256:…`). */
  tagOrDigest: string;
  digest: string | null;
}

export function splitPhysicalRef(ref: string): PhysicalRef {
  const slash = ref.indexOf('/');
  const host = slash < 0 ? ref : ref.slice(0, slash);
  let rest = slash < 0 ? '' : ref.slice(slash + 1);
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { host, path: rest, name: `${host}/${rest}`, tagOrDigest: digest ?? tag ?? 'latest', digest };
}
