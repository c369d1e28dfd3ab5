/**
 * Image references as containers/image parses them (its docker/reference fork).
 *
 * @example
 *   import { parseNormalizedNamed, parseDockerReference } from '../reference/index.ts';
 *   parseNormalizedNamed('busybox').string();        // 'docker.io/library/busybox'
 *   parseDockerReference('busybox').string();        // 'docker.io/library/busybox:latest'
 *   parseNormalizedNamed('quay.io/org/app:1').name(); // 'quay.io/org/app'
 *   parseNormalizedNamed('busybox:1').familiar();     // 'busybox:1'
 *
 * Throwing parsers throw `ReferenceFormatError` (code `PP_ERR_REFERENCE`, `message` = the library's text);
 * the `try…` forms return `{ ok: true, ref } | { ok: false, error }` instead.
 */
export { Reference, ReferenceFormatError } from './reference.ts';
export {
  parse,
  parseNamed,
  parseNormalizedNamed,
  parseDockerReference,
  tryParse,
  tryParseNamed,
  tryParseNormalizedNamed,
  tryParseDockerReference,
  dockerTransportReference,
  splitDockerDomain,
  ERR_REFERENCE_INVALID_FORMAT,
  ERR_NAME_CONTAINS_UPPERCASE,
  ERR_NAME_NOT_CANONICAL,
  ERR_BOTH_TAG_AND_DIGEST,
} from './parse.ts';
export type { ParseResult } from './parse.ts';
export { parseShortName, isShortName } from './short-name.ts';
export type { ShortNameParse } from './short-name.ts';
export { digestError } from './digest.ts';
export { anchoredDomainRegexp, DEFAULT_DOMAIN } from './grammar.ts';
