/**
 * `[aliases]` validation (sysregistriesv2/shortnames.go, research §8.2): the left side must be a bare short name,
 * the right side a fully qualified repository without tag or digest (stored normalized), or `""` to erase.
 */
import { tryParse, tryParseNormalizedNamed } from '../reference/index.ts';
import { goQuote } from '../go-quote.ts';

const hasRegistry = (domain: string): boolean => domain.includes('.') || domain.includes(':') || domain === 'localhost';

/** `validateShortName`: null when `name` may be an alias key, else the runtime's text. */
export function shortNameKeyError(name: string): string | null {
  const r = tryParse(name);
  if (!r.ok) return `cannot parse short name: ${goQuote(name)}: ${r.error}`;
  if (r.ref.digest !== null) return `invalid short name ${goQuote(name)}: must not contain digest`;
  if (r.ref.tag !== null) return `invalid short name ${goQuote(name)}: must not contain tag`;
  if (r.ref.path === '') return `invalid short name ${goQuote(name)}: no name`;
  if (hasRegistry(r.ref.domain)) return `invalid short name ${goQuote(name)}: must not contain registry`;
  return null;
}

/**
 * `parseShortNameValue`: the normalized value (`docker.io/fedora` → `docker.io/library/fedora`), `''` for an
 * erased alias, or the runtime's error text.
 */
export function aliasValue(value: string): { ok: true; value: string } | { ok: false; error: string } {
  if (value === '') return { ok: true, value: '' };
  const r = tryParse(value);
  if (!r.ok) return { ok: false, error: `parsing alias ${goQuote(value)}: ${r.error}` };
  if (r.ref.digest !== null) return { ok: false, error: `invalid alias ${goQuote(value)}: must not contain digest` };
  if (r.ref.tag !== null) return { ok: false, error: `invalid alias ${goQuote(value)}: must not contain tag` };
  if (!hasRegistry(r.ref.domain)) {
    return { ok: false, error: `invalid alias ${goQuote(value)}: must contain registry and repository` };
  }
  const n = tryParseNormalizedNamed(value);
  if (!n.ok) return { ok: false, error: `parsing alias ${goQuote(value)}: ${n.error}` };
  return { ok: true, value: n.ref.name() };
}

/** Checks one alias (key, then value), as `newShortNameAliasCache` does per entry. */
export function aliasError(name: string, value: string): string | null {
  const keyErr = shortNameKeyError(name);
  if (keyErr !== null) return keyErr;
  const v = aliasValue(value);
  return v.ok ? null : v.error;
}
