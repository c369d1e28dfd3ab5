/**
 * How one `[[registry]]` prefix matches one reference string (sysregistriesv2 `refMatchingPrefix`,
 * `refMatchingSubdomainPrefix`). These are the per-entry rules; `compile.ts` indexes them so a lookup never
 * scans every entry, and `rewrite.ts` uses them on the full reference (with tag/digest) as the runtime does.
 */

/** The characters that may follow a literal prefix: path, port (the "unintended" quirk) and digest. */
function isBoundary(c: string | undefined): boolean {
  return c === '/' || c === ':' || c === '@';
}

/**
 * Literal prefix: `ref` equals `prefix`, or starts with it and the next character is `/`, `:` or `@`.
 * Returns the matched length or -1. `example.com` matches `example.com:5000/x` (upstream quirk, kept).
 */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  return isBoundary(ref[prefix.length]) ? prefix.length : -1;
}

/**
 * Wildcard prefix `*.suffix`: the FIRST occurrence of `.suffix` must be in the host (no `/` before it) and be
 * followed by the end, `:`, `/` or `@`. Returns the matched length, which excludes any port (so a rewrite
 * carries the port over), or -1. The apex (`example.com` for `*.example.com`) never matches.
 */
export function refMatchingSubdomainPrefix(ref: string, prefix: string): number {
  const suffix = prefix.slice(1);
  const index = ref.indexOf(suffix);
  if (index === -1) return -1;
  const slash = ref.indexOf('/');
  if (slash !== -1 && slash < index) return -1;
  const end = index + suffix.length;
  if (end === ref.length || isBoundary(ref[end])) return end;
  return -1;
}

/** True for `*.example.com`: the only form the runtime treats as a wildcard (`**.x`, `*x` are literal). */
export function isWildcardPrefix(prefix: string): boolean {
  return prefix.startsWith('*.');
}

/** Matches `ref` against `prefix` with the rule its form selects. */
export function matchPrefix(ref: string, prefix: string): number {
  return isWildcardPrefix(prefix) ? refMatchingSubdomainPrefix(ref, prefix) : refMatchingPrefix(ref, prefix);
}
