/**
 * Writes a NodeRegistriesConf exactly as BurntSushi/toml v1.5 `NewEncoder(...).Encode` does for
 * containers/image's structs: plain keys first in struct order, then tables; nil slices skipped;
 * `omitempty` fields skipped when empty; `[[registry]]` keys indented 2 spaces, mirror tables 2 and their
 * keys 4; each array-of-tables element preceded by a blank line. Byte-exactness is the point.
 */
import type { NodeEndpoint, NodeRegistriesConf, NodeRegistry } from './node-registries-conf.ts';
import { byteCompare } from './topo.ts';

export interface TomlEncodeOptions {
  /** containers/image ≥ 5.32 has `additional-layer-store-auth-helper` (always written, no omitempty). */
  additionalLayerStoreAuthHelper: boolean;
}

export function encodeRegistriesConf(conf: NodeRegistriesConf, opts: TomlEncodeOptions): string {
  const w = new Writer();
  if (conf.unqualifiedSearchRegistries !== null) w.kv(1, 'unqualified-search-registries', strArray(conf.unqualifiedSearchRegistries));
  if (conf.credentialHelpers !== null) w.kv(1, 'credential-helpers', strArray(conf.credentialHelpers));
  w.kv(1, 'short-name-mode', quote(conf.shortNameMode));
  if (opts.additionalLayerStoreAuthHelper) w.kv(1, 'additional-layer-store-auth-helper', quote(conf.additionalLayerStoreAuthHelper));
  // Tables come after plain keys, in struct field order: `registry` (first field) then `aliases` (embedded, last).
  for (const reg of conf.registries ?? []) {
    w.newline();
    w.line(`[[registry]]`);
    writeRegistry(w, reg);
  }
  if (conf.aliases !== null) {
    w.newline();
    w.line('[aliases]');
    for (const k of [...conf.aliases.keys()].sort(byteCompare)) w.kv(2, maybeQuotedKey(k), quote(conf.aliases.get(k) ?? ''));
  }
  return w.text();
}

function writeRegistry(w: Writer, reg: NodeRegistry): void {
  w.kv(2, 'prefix', quote(reg.prefix));
  writeEndpoint(w, 2, reg);
  if (reg.blocked) w.kv(2, 'blocked', 'true');
  if (reg.mirrorByDigestOnly) w.kv(2, 'mirror-by-digest-only', 'true');
  for (const m of reg.mirrors) {
    w.newline();
    w.line('  [[registry.mirror]]');
    writeEndpoint(w, 3, m);
  }
}

function writeEndpoint(w: Writer, depth: number, e: NodeEndpoint): void {
  if (e.location !== '') w.kv(depth, 'location', quote(e.location));
  if (e.insecure) w.kv(depth, 'insecure', 'true');
  if (e.pullFromMirror !== '') w.kv(depth, 'pull-from-mirror', quote(e.pullFromMirror));
}

class Writer {
  private out = '';
  line(s: string): void {
    this.out += s + '\n';
  }
  kv(depth: number, key: string, value: string): void {
    this.line(`${'  '.repeat(depth - 1)}${key} = ${value}`);
  }
  /** BurntSushi writes a newline only once something has been written. */
  newline(): void {
    if (this.out !== '') this.out += '\n';
  }
  text(): string {
    return this.out;
  }
}

function strArray(a: string[]): string {
  return `[${a.map(quote).join(', ')}]`;
}

/** BurntSushi's `dblQuotedReplacer`: `"` and `\`, the short escapes, and other control characters as \u00XX. */
export function quote(s: string): string {
  let r = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') r += '\\"';
    else if (ch === '\\') r += '\\\\';
    else if (ch === '\b') r += '\\b';
    else if (ch === '\t') r += '\\t';
    else if (ch === '\n') r += '\\n';
    else if (ch === '\f') r += '\\f';
    else if (ch === '\r') r += '\\r';
    else if (c < 0x20 || c === 0x7f) r += `\\u${c.toString(16).padStart(4, '0')}`;
    else r += ch;
  }
  return r + '"';
}

function maybeQuotedKey(k: string): string {
  return k !== '' && /^[A-Za-z0-9_-]+$/.test(k) ? k : quote(k);
}
