/**
 * The inverse of Go's `%q` for what logrus prints (`msg="…"`): `\"`, `\\`, `\n`, `\t`, `\r`, `\xNN`,
 * `\uNNNN`, `\UNNNNNNNN`, `\a \b \f \v`. Tolerant of a cut-off text (an event truncated mid-escape): what
 * cannot be decoded is kept as written, so a truncated paste still parses as far as it goes.
 */
const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', '\\': '\\', "'": "'" };

export function goUnquote(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const e = body[i + 1]!;
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = width > 0 ? body.slice(i + 2, i + 2 + width) : '';
    if (width > 0 && hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
      const n = parseInt(hex, 16);
      // \xNN is a raw byte in Go; shown here as the Latin-1 character (the texts are ASCII in practice).
      out += n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
      i += 1 + width;
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * The value of a Go-quoted string that starts at `text[start]` (the opening `"`): its decoded text, where it
 * ends (index after the closing quote) and whether it was cut off before its closing quote.
 */
export function readGoQuoted(text: string, start: number): { value: string; end: number; truncated: boolean } {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') return { value: goUnquote(text.slice(start + 1, i)), end: i + 1, truncated: false };
    i++;
  }
  return { value: goUnquote(text.slice(start + 1)), end: text.length, truncated: true };
}
