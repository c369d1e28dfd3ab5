/**
 * Scope predicates shared by the renderer and the validator, ported rule for rule from
 * openshift/runtime-utils `pkg/registries/registries.go` and the MCO's `sourceRegex`/`mirrorRegex`.
 * Quirks are kept on purpose (a port is not a namespace, `*.x` never matches `x` itself):
 * rendering must be byte-identical to what the MCO writes, including its oddities.
 */

/**
 * True if `sub` (a registries.conf prefix or mirror location) lies inside `sup`.
 * Examples: `quay.io/ns` in `quay.io` → true; `quay.io:443` in `quay.io` → false;
 * `foo.example.com/bar` in `*.example.com` → true; `example.com` in `*.example.com` → false.
 */
export function scopeIsNestedInsideScope(sub: string, sup: string): boolean {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === '/') return true;
  if (sup.startsWith('*.')) {
    const suffix = sup.slice(1);
    if (sub.includes(':')) {
      const host = sub.split(':')[0] ?? '';
      return host.endsWith(suffix) && !host.includes('/');
    }
    const host = sub.split('/')[0] ?? '';
    return host.endsWith(suffix);
  }
  return false;
}

/**
 * runtime-utils `IsValidRegistriesConfScope`: anything without `*` is accepted (even tags and spaces);
 * a `*` is only valid as a leading `*.` with no `/ @ : *` after it.
 */
export function isValidRegistriesConfScope(scope: string): boolean {
  if (scope === '') return false;
  if (!scope.includes('*')) return true;
  return scope.startsWith('*.') && !/[/@:*]/.test(scope.slice(2));
}

/** MCO `sourceRegex` (= openshift/api IDMS/ITMS `source` pattern), verbatim: `*.host` or `host[:port][/path]`. */
export const SOURCE_REGEX =
  /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;
/** MCO `mirrorRegex` (= openshift/api `ImageMirror` pattern), verbatim: the source pattern without the wildcard form. */
export const MIRROR_REGEX =
  /^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;
