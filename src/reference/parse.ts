/**
 * The parsers of containers/image's `docker/reference` fork (reference.go, normalize.go) and the docker
 * transport's reference rules (docker_transport.go), with the library's error texts.
 *
 * Each parser has a non-throwing form (`try…`, returning the Reference or the error text) because the
 * resolver parses every rewritten source and must not pay for exceptions, and a throwing form for callers.
 */
import { digestError } from './digest.ts';
import { isDomain } from './domain.ts';
import * as grammar from './grammar.ts';
import { Reference, ReferenceFormatError } from './reference.ts';

// Module-local copies: these run several times per resolution, and a local binding is the cheapest access.
const referenceRegexp = grammar.referenceRegexp;
const anchoredIdentifierRegexp = grammar.anchoredIdentifierRegexp;
const DEFAULT_DOMAIN = grammar.DEFAULT_DOMAIN;
const LEGACY_DEFAULT_DOMAIN = grammar.LEGACY_DEFAULT_DOMAIN;
const NAME_TOTAL_LENGTH_MAX = grammar.NAME_TOTAL_LENGTH_MAX;
const OFFICIAL_REPO_NAME = grammar.OFFICIAL_REPO_NAME;

export const ERR_REFERENCE_INVALID_FORMAT = 'invalid reference format';
export const ERR_NAME_CONTAINS_UPPERCASE = 'repository name must be lowercase';
export const ERR_NAME_EMPTY = 'repository name must have at least one component';
export const ERR_NAME_NOT_CANONICAL = 'repository name must be canonical';
export const ERR_NAME_TOO_LONG = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
export const ERR_BOTH_TAG_AND_DIGEST = 'Docker references with both a tag and digest are currently not supported';

/** A parse outcome without exceptions: the reference, or the library's error text. */
export type ParseResult = { ok: true; ref: Reference } | { ok: false; error: string };

function fail(error: string): ParseResult {
  return { ok: false, error };
}

/**
 * `reference.Parse`: no normalization. The domain is the first component only when the grammar can read it
 * as a host (so `library/foo` has domain `library`); a single component has domain "".
 * This is how `pkg/shortnames` decides what a short name is.
 */
export function tryParse(s: string): ParseResult {
  const m = referenceRegexp.exec(s);
  if (m === null) {
    if (s === '') return fail(ERR_NAME_EMPTY);
    if (referenceRegexp.test(s.toLowerCase())) return fail(ERR_NAME_CONTAINS_UPPERCASE);
    return fail(ERR_REFERENCE_INVALID_FORMAT);
  }
  const name = m[1]!;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return fail(ERR_NAME_TOO_LONG);
  // anchoredNameRegexp's split: the first component is the domain when there is a `/` after it and it reads
  // as a host (the grammar prefers that alternative); otherwise the whole name is the path.
  const slash = name.indexOf('/');
  let domain = '';
  let path = name;
  if (slash !== -1) {
    const first = name.slice(0, slash);
    if (isDomain(first)) {
      domain = first;
      path = name.slice(slash + 1);
    }
  }
  const digest = m[3] ?? null;
  if (digest !== null) {
    const err = digestError(digest);
    if (err !== null) return fail(err);
  }
  return { ok: true, ref: new Reference(domain, path, m[2] ?? null, digest) };
}

/** `splitDockerDomain`: `busybox` → [docker.io, library/busybox]; `index.docker.io/x` → [docker.io, library/x]. */
export function splitDockerDomain(name: string): [domain: string, remainder: string] {
  let domain: string;
  let remainder: string;
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_NAME + '/' + remainder;
  return [domain, remainder];
}

/**
 * True when the repository part (up to the first `:`) changes under lower-casing, as the upstream check
 * `strings.ToLower(remoteName) != remoteName`. ASCII is checked by hand; anything else falls back to the same
 * comparison.
 */
function hasUpperCase(remainder: string): boolean {
  for (let i = 0; i < remainder.length; i++) {
    const c = remainder.charCodeAt(i);
    if (c === 0x3a /* : */) return false;
    if (c >= 0x41 && c <= 0x5a) return true;
    if (c >= 0x80) {
      const colon = remainder.indexOf(':');
      const remoteName = colon === -1 ? remainder : remainder.slice(0, colon);
      return remoteName.toLowerCase() !== remoteName;
    }
  }
  return false;
}

/**
 * `reference.ParseNormalizedNamed`: what users type → a fully qualified name.
 * `busybox` → `docker.io/library/busybox`; `quay.io/org/app:1` unchanged. No `:latest` is added.
 */
export function tryParseNormalizedNamed(s: string): ParseResult {
  if (s.length === 64 && anchoredIdentifierRegexp.test(s)) {
    return fail(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(s);
  if (hasUpperCase(remainder)) return fail(`${ERR_REFERENCE_INVALID_FORMAT}: ${ERR_NAME_CONTAINS_UPPERCASE}`);
  // When nothing was inserted, `domain/remainder` is the input itself: parse it without building a new string.
  return tryParse(remainder.length + domain.length + 1 === s.length ? s : domain + '/' + remainder);
}

/**
 * `reference.ParseNamed`: like `tryParseNormalizedNamed` but the input must already be canonical
 * (`docker.io/library/busybox`, not `busybox`). The registries.conf rewriter parses every rewritten source
 * this way, so a rewrite that produces a non-canonical name fails with `repository name must be canonical`.
 */
export function tryParseNamed(s: string): ParseResult {
  const r = tryParseNormalizedNamed(s);
  if (!r.ok) return r;
  if (r.ref.string() !== s) return fail(ERR_NAME_NOT_CANONICAL);
  return r;
}

/**
 * The docker transport's reference (`docker://REF` without the `docker://`): normalized, `:latest` added to a
 * bare name, and a reference with both tag and digest refused.
 */
export function tryParseDockerReference(s: string): ParseResult {
  const r = tryParseNormalizedNamed(s);
  if (!r.ok) return r;
  return dockerTransportReference(r.ref);
}

/** The docker transport's rules applied to an already normalized reference (`TagNameOnly` + `newReference`). */
export function dockerTransportReference(ref: Reference): ParseResult {
  if (ref.tag !== null && ref.digest !== null) return fail(ERR_BOTH_TAG_AND_DIGEST);
  return { ok: true, ref: ref.tagNameOnly() };
}

function orThrow(input: string, r: ParseResult): Reference {
  if (r.ok) return r.ref;
  throw new ReferenceFormatError(input, r.error);
}

/** Throwing form of `tryParse`. */
export function parse(s: string): Reference {
  return orThrow(s, tryParse(s));
}

/** Throwing form of `tryParseNormalizedNamed`. @example parseNormalizedNamed('busybox').string() === 'docker.io/library/busybox' */
export function parseNormalizedNamed(s: string): Reference {
  return orThrow(s, tryParseNormalizedNamed(s));
}

/** Throwing form of `tryParseNamed`. */
export function parseNamed(s: string): Reference {
  return orThrow(s, tryParseNamed(s));
}

/** Throwing form of `tryParseDockerReference`. @example parseDockerReference('busybox').string() === 'docker.io/library/busybox:latest' */
export function parseDockerReference(s: string): Reference {
  return orThrow(s, tryParseDockerReference(s));
}
