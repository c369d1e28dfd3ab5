/**
 * Media types and Accept negotiation, as distribution (2.8/3.x) does it for manifests.
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** The media types named in Accept header(s), parameters dropped (`q=` is ignored, as distribution does). */
export function acceptedTypes(accept: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  if (accept === undefined) return out;
  for (const header of Array.isArray(accept) ? accept : [accept]) {
    for (const part of header.split(',')) {
      const type = part.split(';')[0]!.trim().toLowerCase();
      if (type !== '') out.add(type);
    }
  }
  return out;
}

/** What to do with a manifest of `mediaType` for a client accepting `accepted`. */
export type Negotiation =
  | { kind: 'serve' }
  /** distribution refuses OCI types not named in Accept with 404 MANIFEST_UNKNOWN and this message. */
  | { kind: 'refuse'; message: string }
  /** A Docker manifest list asked for by tag without the list type: serve the default platform's manifest. */
  | { kind: 'default-platform' };

/**
 * distribution's rules (registry/handlers/manifests.go): OCI manifests and indexes only to clients naming
 * them (`*∕*` is not enough); a Docker list by tag is rewritten to its linux/amd64 manifest when the list
 * type is not accepted. Docker schema2 is always served (distribution 2.8 would convert it to schema1 by
 * tag for old clients; schema1 is not modelled).
 */
export function negotiate(mediaType: string, accepted: Set<string>, byTag: boolean): Negotiation {
  if (mediaType === OCI_MANIFEST && !accepted.has(OCI_MANIFEST)) {
    return { kind: 'refuse', message: 'OCI manifest found, but accept header does not support OCI manifests' };
  }
  if (mediaType === OCI_INDEX && !accepted.has(OCI_INDEX)) {
    return { kind: 'refuse', message: 'OCI index found, but accept header does not support OCI indexes' };
  }
  if (mediaType === DOCKER_LIST && byTag && !accepted.has(DOCKER_LIST)) return { kind: 'default-platform' };
  return { kind: 'serve' };
}
