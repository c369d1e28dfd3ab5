/**
 * Go's `%q` (strconv.Quote) of raw bytes, for error texts that quote what a server sent: invalid UTF-8 bytes
 * as `\xNN`, control characters as `\a \b \f \n \r \t \v` or `\xNN`, non-printable runes as `\uNNNN`.
 */
const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x22: '\\"', 0x5c: '\\\\' };
// Approximates unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Length of the UTF-8 sequence starting at `i`, or 0 when the bytes there are not valid UTF-8. */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (need === 0 || c > 0xf4 || i + need > b.length) return 0;
  for (let k = 1; k < need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(i, i + need)); // rejects overlongs and surrogates
  } catch {
    return 0;
  }
  return need;
}

export function goQuoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c < 0x80) {
      out += ESCAPES[c] ?? (c < 0x20 || c === 0x7f ? `\\x${hex(c, 2)}` : String.fromCharCode(c));
      i++;
      continue;
    }
    const n = utf8Length(bytes, i);
    if (n === 0) {
      out += `\\x${hex(c, 2)}`;
      i++;
      continue;
    }
    const ch = new TextDecoder().decode(bytes.subarray(i, i + n));
    const cp = ch.codePointAt(0)!;
    out += PRINTABLE.test(ch) ? ch : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    i += n;
  }
  return out + '"';
}
