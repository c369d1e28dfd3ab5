/**
 * The reference grammar of containers/image's `docker/reference` fork (regexp.go), as JS regular expressions.
 *
 * Go's RE2 never backtracks; JS does. The upstream `separator` is `(?:[._]|__|[-]*)`, whose empty alternative
 * makes `[a-z0-9]+(?:[-]*[a-z0-9]+)*` exponential on a failing input in a backtracking engine. `-+` accepts the
 * same language (an empty separator just joins two alphanumeric runs), so we use that.
 *
 * The domain has no IPv6 `[…]` form: v5.23 rejects `[::1]:5000/foo` with "invalid reference format".
 */

const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|-+)';
/** One path component: `alpine`, `my-app`, `a__b`. Lowercase only. */
export const nameComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
/** One host label. Upper case is allowed in the domain. */
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** `host[.host…][:port]` */
export const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const name = `(?:${domain}/)?${nameComponent}(?:/${nameComponent})*`;

/** `ReferenceRegexp`: 1 = name, 2 = tag, 3 = digest. */
export const referenceRegexp = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
/** `anchoredNameRegexp`: 1 = domain (may be undefined), 2 = path. */
export const anchoredNameRegexp = new RegExp(`^(?:(${domain})/)?(${nameComponent}(?:/${nameComponent})*)$`);
/** `anchoredIdentifierRegexp`: a 64-hex image ID, refused as a repository name. */
export const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;
/** `reference.DomainRegexp`, anchored: what an unqualified-search-registries entry must be. */
export const anchoredDomainRegexp = new RegExp(`^${domain}$`);

/** Upstream constants (normalize.go / reference.go). */
export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_NAME = 'library';
export const NAME_TOTAL_LENGTH_MAX = 255;
