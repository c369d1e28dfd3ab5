/**
 * What counts as a short name (`pkg/shortnames.parseUnnormalizedShortName`): parse without normalizing; the
 * input is short unless its first component is a host (contains `.` or `:`) or is `localhost`.
 * Digested names are short too (`busybox@sha256:…`).
 */
import { tryParse, tryParseNormalizedNamed } from './parse.ts';
import type { Reference } from './reference.ts';

export type ShortNameParse =
  /** `ref` is the unnormalized reference (`library/fedora:38` keeps domain `library`, path `fedora`). */
  | { ok: true; isShort: true; ref: Reference }
  /** `ref` is normalized (`docker.io/fedora` → `docker.io/library/fedora`). */
  | { ok: true; isShort: false; ref: Reference }
  | { ok: false; error: string };

export function parseShortName(input: string): ShortNameParse {
  const r = tryParse(input);
  if (!r.ok) return { ok: false, error: `cannot parse input: "${input}": ${r.error}` };
  const d = r.ref.domain;
  if (d !== '' && (d.includes('.') || d.includes(':') || d === 'localhost')) {
    const n = tryParseNormalizedNamed(input);
    if (!n.ok) return { ok: false, error: `cannot parse input: "${input}": ${n.error}` };
    return { ok: true, isShort: false, ref: n.ref };
  }
  return { ok: true, isShort: true, ref: r.ref };
}

/** True when `input` parses and names no registry (`fedora`, `library/fedora:38`, `busybox@sha256:…`). */
export function isShortName(input: string): boolean {
  const r = parseShortName(input);
  return r.ok && r.isShort;
}
