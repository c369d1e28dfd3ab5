/**
 * Docker reference normalisation as containers/image's `docker/reference` does it, reduced to what policy
 * evaluation and the MCO's payload check need (name, tag, digest, familiar form).
 * Kept local so src/policy and src/openshift work standalone; src/reference/ is the project's full parser.
 */
import { PullpathError } from '../errors.ts';

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

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^(${DOMAIN})/(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}))?$`,
);

export function invalidReference(input: string, why: string): PullpathError {
  return new PullpathError('PP_ERR_REFERENCE', `invalid reference ${JSON.stringify(input)}: ${why}`);
}

/** `reference.ParseNormalizedNamed`: fills in `docker.io` and `library/`. */
export function parseNormalizedDockerRef(input: string): DockerRef {
  if (/^[a-f0-9]{64}$/.test(input)) throw invalidReference(input, 'cannot specify 64-byte hexadecimal strings');
  const slash = input.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? '' : input.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = 'docker.io';
    remainder = input;
  } else {
    domain = first;
    remainder = input.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const nameEnd = remainder.search(/[:@]/);
  const repoPart = nameEnd === -1 ? remainder : remainder.slice(0, nameEnd);
  if (repoPart.toLowerCase() !== repoPart) throw invalidReference(input, 'repository name must be lowercase');
  return parseFullDockerRef(`${domain}/${remainder}`, input);
}

/** `reference.ParseNamed`: the input must already be canonical (`quay.io/ns/repo@sha256:…`, not `busybox`). */
export function parseCanonicalDockerRef(input: string): DockerRef {
  const ref = parseNormalizedDockerRef(input);
  if (dockerRefString(ref) !== input) throw invalidReference(input, 'repository name must be canonical');
  return ref;
}

function parseFullDockerRef(full: string, input: string): DockerRef {
  const m = REFERENCE.exec(full);
  if (m === null) throw invalidReference(input, 'invalid reference format');
  const [, domain = '', path = '', tag, digest] = m;
  const name = `${domain}/${path}`;
  if (name.length > 255) throw invalidReference(input, 'repository name must not be more than 255 characters');
  return { domain, path, name, tag: tag ?? null, digest: digest ?? null };
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

/**
 * The docker transport's `ParseReference`: `:latest` is added when neither tag nor digest is given, and a
 * reference with both is refused.
 */
export function parseDockerTransportRef(input: string): DockerRef {
  const ref = parseNormalizedDockerRef(input);
  if (ref.tag !== null && ref.digest !== null) {
    throw invalidReference(input, 'Docker references with both a tag and digest are currently not supported');
  }
  if (ref.tag === null && ref.digest === null) return { ...ref, tag: 'latest' };
  return ref;
}
