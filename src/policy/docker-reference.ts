/**
 * The reference view policy evaluation and the MCO's payload check need (name, tag, digest, familiar form)
 * as plain data, built on the project's parser in src/reference/ (containers/image's docker/reference rules).
 */
import { parseDockerReference, parseNamed, parseNormalizedNamed, type Reference } from '../reference/index.ts';

export interface DockerRef {
  /** Registry host[:port], e.g. `docker.io`, `quay.io:5000`. */
  domain: string;
  /** Repository path without the domain, e.g. `library/busybox`. */
  path: string;
  /** `domain/path`, as `reference.Named.Name()`. */
  name: string;
  tag: string | null;
  digest: string | null;
}

function fromReference(r: Reference): DockerRef {
  return { domain: r.domain, path: r.path, name: r.name(), tag: r.tag, digest: r.digest };
}

/** `reference.ParseNormalizedNamed`: fills in `docker.io` and `library/`. */
export function parseNormalizedDockerRef(input: string): DockerRef {
  return fromReference(parseNormalizedNamed(input));
}

/** `reference.ParseNamed`: the input must already be canonical (`quay.io/ns/repo@sha256:…`, not `busybox`). */
export function parseCanonicalDockerRef(input: string): DockerRef {
  return fromReference(parseNamed(input));
}

/** The docker transport's `ParseReference`: `:latest` added when neither tag nor digest; both is refused. */
export function parseDockerTransportRef(input: string): DockerRef {
  return fromReference(parseDockerReference(input));
}

/** `reference.Reference.String()`: name, then `:tag`, then `@digest`. */
export function dockerRefString(ref: DockerRef): string {
  return ref.name + (ref.tag !== null ? `:${ref.tag}` : '') + (ref.digest !== null ? `@${ref.digest}` : '');
}

/** `reference.FamiliarString`: drops `docker.io/` and `library/` (used in `docker://…` image names). */
export function familiarString(ref: DockerRef): string {
  let name = ref.name;
  if (ref.domain === 'docker.io') {
    name = ref.path.startsWith('library/') && !ref.path.slice(8).includes('/') ? ref.path.slice(8) : ref.path;
  }
  return name + (ref.tag !== null ? `:${ref.tag}` : '') + (ref.digest !== null ? `@${ref.digest}` : '');
}
