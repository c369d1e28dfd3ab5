/**
 * Go's `%q` (strconv.Quote) for the strings the runtime quotes in its messages: double quotes, with backslash,
 * quote and control characters escaped as Go escapes them. One copy for every module that words an error or a
 * log line as containers/image or skopeo would.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}
