/**
 * `Endpoint.rewriteReference`: the physical reference for one endpoint (mirror or primary location).
 * The registry's prefix is matched against the FULL reference (tag/digest included); the matched part is
 * replaced by the endpoint's location and the result must parse as a canonical name (`ParseNamed`).
 */
import { tryParseNamed, type ParseResult } from '../reference/parse.ts';
import type { Reference } from '../reference/reference.ts';
import { joinAtPathBoundary, type JoinableLocation } from './location-join.ts';
import { isWildcardPrefix, matchPrefix } from './prefix-match.ts';

export function rewriteReference(
  ref: Reference,
  prefix: string,
  location: string,
  joinable: JoinableLocation | null = null,
): ParseResult {
  const refString = ref.string();
  const matched = matchPrefix(refString, prefix);
  if (matched === -1) return { ok: false, error: `invalid prefix '${prefix}' for reference '${refString}'` };
  if (location === '') {
    // A wildcard entry without location applies its settings without rewriting.
    if (isWildcardPrefix(prefix)) return { ok: true, ref };
    return { ok: false, error: `invalid prefix '${prefix}' for empty location, should be in the format: *.example.com` };
  }
  if (joinable !== null) {
    const joined = joinAtPathBoundary(ref, matched, joinable);
    if (joined !== null) return { ok: true, ref: joined };
  }
  const r = tryParseNamed(location + refString.slice(matched));
  if (!r.ok) return { ok: false, error: `rewriting reference: ${r.error}` };
  return r;
}
