/**
 * The order of `[host."…"]` tables in a hosts.toml, as each containerd version finds it.
 *
 * containerd 1.6 and 1.7 (go-toml v1) sort the host keys by the line of the table each key creates: the line of
 * the first header or dotted key that mentions it; a table written inline (`"m" = { … }`) has no position (line 0,
 * so it sorts first, and several of them come in random map order). containerd 2.x (go-toml v2) walks the table
 * headers in text order and lists `host.X` each time X differs from the previous header's host: hosts defined
 * only by dotted keys or inline tables are not listed at all, and a host whose headers are split by another
 * host's header is listed twice.
 *
 * The scan runs on text the TOML parser already accepted, so it only needs to follow headers, keys and
 * multi-line strings.
 */

export interface HostMention {
  host: string;
  /** 1-based line; 0 for a table written inline (go-toml v1 gives it no position). */
  line: number;
}

const bareOrQuoted = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const dottedKey = String.raw`${bareOrQuoted}(?:[ \t]*\.[ \t]*${bareOrQuoted})*`;
const keyLine = new RegExp(String.raw`^[ \t]*(${dottedKey})[ \t]*=[ \t]*(.?)`);
const arrayHeader = new RegExp(String.raw`^[ \t]*\[\[[ \t]*(${dottedKey})[ \t]*\]\]`);
const tableHeader = new RegExp(String.raw`^[ \t]*\[[ \t]*(${dottedKey})[ \t]*\]`);
const keyPart = new RegExp(bareOrQuoted, 'g');

function keyParts(raw: string): string[] {
  return (raw.match(keyPart) ?? []).map((part) => {
    if (part.startsWith('"')) {
      try {
        return JSON.parse(part) as string;
      } catch {
        return part.slice(1, -1);
      }
    }
    if (part.startsWith("'")) return part.slice(1, -1);
    return part;
  });
}

interface Scan {
  /** First line that creates each host key's table (go-toml v1's position). */
  firstLine: Map<string, number>;
  /** Table headers `[host.X…]` in text order (containerd 2.x). */
  headerHosts: HostMention[];
  /** Line of every key under the root table, by name (for `server` and friends). */
  rootKeys: Map<string, number>;
  /** Line of every key inside `[host."X"]` (key path after host.X joined with NUL), for findings. */
  hostKeys: Map<string, Map<string, number>>;
}

/** One pass over the text: positions of host tables and keys. */
export function scanHostsToml(text: string): Scan {
  const scan: Scan = { firstLine: new Map(), headerHosts: [], rootKeys: new Map(), hostKeys: new Map() };
  let table: string[] = [];
  let inMultiline: '"""' | "'''" | null = null;
  const lines = text.split('\n');
  const mention = (host: string, line: number): void => {
    if (!scan.firstLine.has(host)) scan.firstLine.set(host, line);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (inMultiline !== null) {
      if (line.split(inMultiline).length % 2 === 0) inMultiline = null;
      continue;
    }
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[')) {
      const arr = arrayHeader.exec(line);
      if (arr) {
        table = ['\u0000array', ...keyParts(arr[1]!)];
        continue;
      }
      const tbl = tableHeader.exec(line);
      if (tbl) {
        table = keyParts(tbl[1]!);
        if (table[0] === 'host' && table.length >= 2) {
          mention(table[1]!, lineNo);
          scan.headerHosts.push({ host: table[1]!, line: lineNo });
        }
      }
      continue;
    }
    const key = keyLine.exec(line);
    if (!key) continue;
    const parts = keyParts(key[1]!);
    const full = [...table, ...parts];
    if (table.length === 0 && parts.length === 1 && !scan.rootKeys.has(parts[0]!)) scan.rootKeys.set(parts[0]!, lineNo);
    if (full[0] === 'host' && full.length >= 3) {
      mention(full[1]!, lineNo);
      const keys = scan.hostKeys.get(full[1]!) ?? new Map<string, number>();
      const sub = full.slice(2).join('\u0000');
      if (!keys.has(sub)) keys.set(sub, lineNo);
      scan.hostKeys.set(full[1]!, keys);
    } else if (full[0] === 'host' && full.length === 2) {
      // `"m" = { … }` under [host]: an inline table, without a position in go-toml v1.
      mention(full[1]!, key[2] === '{' ? 0 : lineNo);
      const keys = scan.hostKeys.get(full[1]!) ?? new Map<string, number>();
      scan.hostKeys.set(full[1]!, keys);
    }
    const rest = line.slice(key[0].length - (key[2] ?? '').length);
    for (const delim of ['"""', "'''"] as const) {
      if (rest.includes(delim) && rest.split(delim).length % 2 === 0) {
        inMultiline = delim;
        break;
      }
    }
  }
  return scan;
}

/**
 * Host keys in containerd 1.6/1.7 order: by line, ties (inline tables) in `keys` order, flagged because
 * containerd's order for them is random.
 */
export function v1HostOrder(keys: string[], scan: Scan): { order: HostMention[]; ambiguous: boolean } {
  const withLines = keys.map((host, idx) => ({ host, line: scan.firstLine.get(host) ?? 0, idx }));
  withLines.sort((a, b) => a.line - b.line || a.idx - b.idx);
  let ambiguous = false;
  for (let i = 1; i < withLines.length; i++) if (withLines[i]!.line === withLines[i - 1]!.line) ambiguous = true;
  return { order: withLines.map(({ host, line }) => ({ host, line })), ambiguous };
}

/** Host keys in containerd 2.x order: table headers in text order, consecutive repeats merged. */
export function v2HostOrder(scan: Scan): HostMention[] {
  const out: HostMention[] = [];
  let previous: string | null = null;
  for (const m of scan.headerHosts) {
    if (m.host === previous) continue;
    previous = m.host;
    out.push(m);
  }
  return out;
}
