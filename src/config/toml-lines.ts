/**
 * Line numbers for a TOML document, found by a light scan of its text.
 *
 * smol-toml returns values without positions, so we scan the text once (linear in its size) for table headers
 * (`[[registry]]`, `[[registry.mirror]]`, `[aliases]`) and `key =` lines, and let the decoder match the parsed
 * tables to these sections in order. The scan only runs on text smol-toml already accepted, so it can be simple:
 * it skips multi-line strings and never needs to understand values.
 */

/** One table section of the document, in text order. */
export interface TomlSection {
  /** Dotted header name, quotes removed (`registry`, `registry.mirror`, `aliases`); `''` for the root section. */
  name: string;
  /** `[[name]]` (an element of an array of tables) rather than `[name]`. */
  arrayTable: boolean;
  /** 1-based line of the header; 0 for the root section. */
  line: number;
  /** Key as written (quotes removed, dotted parts joined by `.`) → 1-based line of its `key =`. First one wins. */
  keys: Map<string, number>;
}

const bareOrQuoted = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const dottedKey = String.raw`${bareOrQuoted}(?:\s*\.\s*${bareOrQuoted})*`;
const keyLine = new RegExp(String.raw`^\s*(${dottedKey})\s*=`);
const arrayHeader = new RegExp(String.raw`^\s*\[\[\s*(${dottedKey})\s*\]\]`);
const tableHeader = new RegExp(String.raw`^\s*\[\s*(${dottedKey})\s*\]`);
const keyPart = new RegExp(bareOrQuoted, 'g');
const bareKeyLine = /^\s*([A-Za-z0-9_-]+)\s*=/;

function firstNonBlank(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\r') return c;
  }
  return '';
}

/** `a . "b.c" . 'd'` → `a.b.c.d` (good enough for matching our known key names). */
export function normalizeDottedKey(raw: string): string {
  const parts = raw.match(keyPart) ?? [];
  return parts.map(unquote).join('.');
}

function unquote(part: string): string {
  if (part.startsWith('"')) {
    try {
      return JSON.parse(part) as string;
    } catch {
      return part.slice(1, -1);
    }
  }
  if (part.startsWith("'")) return part.slice(1, -1);
  return part;
}

/** Scans `text` into sections. Linear: each line is looked at once. */
export function scanTomlSections(text: string): TomlSection[] {
  const root: TomlSection = { name: '', arrayTable: false, line: 0, keys: new Map() };
  const sections: TomlSection[] = [root];
  let current = root;
  let inMultiline: '"""' | "'''" | null = null;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    lineNo++;
    start = end + 1;
    if (inMultiline !== null) {
      if (countOccurrences(line, inMultiline) % 2 === 1) inMultiline = null;
      continue;
    }
    // Cheap first-character tests keep the scan linear and fast (2.2 MB, 40,000 lines in a few ms).
    const first = firstNonBlank(line);
    if (first === '' || first === '#') continue;
    if (first !== '[') {
      const bare = bareKeyLine.exec(line);
      const key = bare ?? keyLine.exec(line);
      if (key) {
        const name = bare ? key[1]! : normalizeDottedKey(key[1]!);
        if (!current.keys.has(name)) current.keys.set(name, lineNo);
        // A value that opens a multi-line string continues on the next lines.
        const rest = line.slice(key[0].length);
        if (rest.includes("'''") || rest.includes('"""')) {
          for (const delim of ['"""', "'''"] as const) {
            if (countOccurrences(rest, delim) % 2 === 1) {
              inMultiline = delim;
              break;
            }
          }
        }
      }
      continue;
    }
    const arr = arrayHeader.exec(line);
    if (arr) {
      current = { name: normalizeDottedKey(arr[1]!), arrayTable: true, line: lineNo, keys: new Map() };
      sections.push(current);
      continue;
    }
    const tbl = tableHeader.exec(line);
    if (tbl) {
      current = { name: normalizeDottedKey(tbl[1]!), arrayTable: false, line: lineNo, keys: new Map() };
      sections.push(current);
      continue;
    }
  }
  return sections;
}

function countOccurrences(s: string, needle: string): number {
  let n = 0;
  let i = s.indexOf(needle);
  while (i !== -1) {
    n++;
    i = s.indexOf(needle, i + needle.length);
  }
  return n;
}
