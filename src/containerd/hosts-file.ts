/**
 * One hosts.toml, decoded as containerd decodes it (remotes/docker/config: parseHostsFile / parseHostConfig).
 *
 * containerd ignores the WHOLE file on any problem (bad TOML, an unknown capability, a value of the wrong type,
 * `[[host]]`, and in 1.6 a file without a `[host]` table), logs the error, and falls back to the registry itself
 * (plus Docker-style certificate files in the directory). So a problem here is a value, not an exception: the
 * caller keeps the error text as a note and uses the fallback.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ContainerdCapability, ContainerdCompat } from './endpoint.ts';
import { goParseUrl, goPathClean } from './go-url.ts';
import { scanHostsToml, v1HostOrder, v2HostOrder } from './toml-host-order.ts';

/** One host of a hosts.toml (a `[host."…"]` table, or the root: `server` or the registry itself). */
export interface HostEntry {
  /** The `[host."…"]` key as written, or null for the root table (`server`). */
  key: string | null;
  /** As Go's url.Parse gives them: scheme may be anything (`httpfoo`) and host may be empty. */
  scheme: string;
  host: string;
  path: string;
  capabilities: Array<ContainerdCapability | 'referrers'>;
  skipVerify: boolean | null;
  caFiles: string[] | null;
  clientPairs: Array<{ cert: string; key: string | null }> | null;
  headers: Record<string, string[]> | null;
  dialTimeoutMs: number | null;
  /** Line of the host table (or of `server`), 0 when unknown. */
  line: number;
}

export type HostsFileResult =
  | { ok: true; hosts: HostEntry[]; warnings: Array<{ line: number; message: string }> }
  | {
      ok: false;
      /** containerd's error text as it logs it after "failed to decode hosts.toml". */
      error: string;
      line: number;
      /** true when containerd 1.6/1.7 panics on this file (two non-table values under [host]) instead of ignoring it. */
      crash?: boolean;
    };

type Tbl = Record<string, unknown>;
const isTable = (v: unknown): v is Tbl => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** How Go prints a decoded TOML value with %v (enough for containerd's error texts). */
export function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isTable(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isTable(v)) return '*toml.Tree';
  return 'time.Time';
}

/**
 * The TOML key a struct field is read from. go-toml v1 (containerd 1.6/1.7) tries the tag as written, lower-cased,
 * upper-cased (strings.ToTitle) and with its first letter lower-cased: `CAPABILITIES` works, `Capabilities` does
 * not. go-toml v2 (containerd 2.x) matches case-insensitively.
 */
const V1_VARIANTS = new Map<string, string[]>();

function fieldKey(t: Tbl, tag: string, compat: ContainerdCompat): string | undefined {
  if (tag in t) return tag;
  if (compat === '2.x') {
    const lower = tag.toLowerCase();
    for (const k of Object.keys(t)) if (k.toLowerCase() === lower) return k;
    return undefined;
  }
  let variants = V1_VARIANTS.get(tag);
  if (variants === undefined) {
    variants = [tag.toLowerCase(), tag.toUpperCase(), tag[0]!.toLowerCase() + tag.slice(1)].filter((k) => k !== tag);
    V1_VARIANTS.set(tag, variants);
  }
  for (const k of variants) if (k in t) return k;
  return undefined;
}

function fieldValue(t: Tbl, tag: string, _goName: string, compat: ContainerdCompat): unknown {
  const k = fieldKey(t, tag, compat);
  return k === undefined ? undefined : t[k];
}

class DecodeError extends Error {}

/** go-toml v1's conversion error, prefixed with the key's position as go-toml formats it: `(line, col): `. */
function convertError(v: unknown, target: string, pos = ''): DecodeError {
  return new DecodeError(`${pos}Can't convert ${goValue(v)}(${goType(v)}) to ${target}`);
}

/** `(line, col): ` for a key, or '' when unknown. */
type PosOf = (key: string) => string;

interface RawHostConfig {
  capabilities: string[] | null;
  ca: unknown;
  client: unknown;
  skipVerify: boolean | null;
  header: Record<string, unknown> | null;
  overridePath: boolean;
  dialTimeout: string;
}

/** The typed fields of a host table (go-toml's Unmarshal into hostFileConfig). */
function decodeFields(t: Tbl, compat: ContainerdCompat, posOf: PosOf = () => ''): RawHostConfig {
  const at = (tag: string): string => posOf(fieldKey(t, tag, compat) ?? tag);
  const caps = fieldValue(t, 'capabilities', 'Capabilities', compat);
  let capabilities: string[] | null = null;
  if (caps !== undefined) {
    if (!Array.isArray(caps)) throw convertError(caps, '[]string(slice)', at('capabilities'));
    capabilities = caps.map((c) => {
      if (typeof c !== 'string') throw convertError(c, 'string', at('capabilities'));
      return c;
    });
  }
  const skip = fieldValue(t, 'skip_verify', 'SkipVerify', compat);
  if (skip !== undefined && typeof skip !== 'boolean') throw convertError(skip, 'bool', at('skip_verify'));
  const header = fieldValue(t, 'header', 'Header', compat);
  if (header !== undefined && !isTable(header)) throw convertError(header, 'map[string]interface {}(map)', at('header'));
  const override = fieldValue(t, 'override_path', 'OverridePath', compat);
  if (override !== undefined && typeof override !== 'boolean') throw convertError(override, 'bool', at('override_path'));
  let dialTimeout = '';
  if (compat === '2.x') {
    const dt = fieldValue(t, 'dial_timeout', 'DialTimeout', compat);
    if (dt !== undefined && typeof dt !== 'string') throw convertError(dt, 'string', at('dial_timeout'));
    dialTimeout = (dt as string | undefined) ?? '';
  }
  return {
    capabilities,
    ca: fieldValue(t, 'ca', 'CACert', compat),
    client: fieldValue(t, 'client', 'Client', compat),
    skipVerify: (skip as boolean | undefined) ?? null,
    header: (header as Tbl | undefined) ?? null,
    overridePath: (override as boolean | undefined) ?? false,
    dialTimeout,
  };
}

function absPath(p: string, base: string): string {
  if (p.startsWith('/')) return p;
  return goPathClean(`${base}/${p}`);
}

function stringSlice(values: unknown[], map: (s: string) => string = (s) => s): string[] {
  return values.map((v) => {
    if (typeof v !== 'string') throw new DecodeError(`unable to cast ${goValue(v)} to string`);
    return map(v);
  });
}

/** Go's time.ParseDuration, in milliseconds (containerd 2.x dial_timeout). */
export function parseGoDuration(s: string): number | null {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  const re = /^(\d*\.?\d*)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/; // µs (micro sign) and μs (Greek mu), escaped: the CLI bundles are ASCII (bin/build-cli.mjs)
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return null;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** parseHostConfig: one host (or the root with `server`) → HostEntry; throws DecodeError with containerd's text. */
function hostConfig(server: string, baseDir: string, raw: RawHostConfig, line: number, key: string | null, compat: ContainerdCompat): HostEntry {
  const out: HostEntry = {
    key,
    scheme: '',
    host: '',
    path: '',
    capabilities: [],
    skipVerify: raw.skipVerify,
    caFiles: null,
    clientPairs: null,
    headers: null,
    dialTimeoutMs: null,
    line,
  };
  if (server !== '') {
    // Only a value beginning with "http" (lower case) counts as having a scheme: "httpbin.local" and
    // "HTTPS://x" are both taken as they are / prefixed, as containerd does.
    const withScheme = server.startsWith('http') ? server : `https://${server}`;
    const u = goParseUrl(withScheme);
    if (!u.ok) throw new DecodeError(`unable to parse server ${withScheme}: ${u.error}`);
    out.scheme = u.url.scheme;
    out.host = u.url.host;
    let p = u.url.path;
    if (p.length > 0) {
      p = goPathClean(p);
      if (!p.endsWith('/v2') && !raw.overridePath) p += '/v2';
    } else if (!raw.overridePath) p = '/v2';
    out.path = p;
  }
  if (raw.capabilities !== null && raw.capabilities.length > 0) {
    const caps = new Set<ContainerdCapability | 'referrers'>();
    for (const c of raw.capabilities) {
      const lc = c.toLowerCase();
      if (lc === 'pull' || lc === 'resolve' || lc === 'push' || (lc === 'referrers' && compat === '2.x')) caps.add(lc);
      else throw new DecodeError(`unknown capability ${c}`);
    }
    out.capabilities = [...caps];
  } else {
    out.capabilities = compat === '2.x' ? ['pull', 'resolve', 'push', 'referrers'] : ['pull', 'resolve', 'push'];
  }
  if (raw.ca !== undefined && raw.ca !== null) {
    if (typeof raw.ca === 'string') out.caFiles = [absPath(raw.ca, baseDir)];
    else if (Array.isArray(raw.ca)) out.caFiles = stringSlice(raw.ca, (p) => absPath(p, baseDir));
    else throw new DecodeError(`invalid type ${goValue(raw.ca)} for "ca"`);
  }
  if (raw.client !== undefined && raw.client !== null) {
    if (typeof raw.client === 'string') out.clientPairs = [{ cert: absPath(raw.client, baseDir), key: null }];
    else if (Array.isArray(raw.client)) {
      out.clientPairs = [];
      for (const pair of raw.client) {
        if (typeof pair === 'string') out.clientPairs.push({ cert: absPath(pair, baseDir), key: null });
        else if (Array.isArray(pair)) {
          const slice = stringSlice(pair, (s) => absPath(s, baseDir));
          if (slice.length !== 2) throw new DecodeError(`invalid pair ${goValue(pair)} for "client"`);
          out.clientPairs.push({ cert: slice[0]!, key: slice[1]! });
        } else throw new DecodeError(`invalid type ${goType(pair)} for "client"`);
      }
    } else throw new DecodeError(`invalid type ${goValue(raw.client)} for "client"`);
  }
  if (raw.header !== null) {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(raw.header)) {
      if (typeof value === 'string') headers[name] = [value];
      else if (Array.isArray(value)) headers[name] = stringSlice(value);
      else throw new DecodeError(`invalid type ${goValue(value)} for header ${JSON.stringify(name)}`);
    }
    out.headers = headers;
  }
  if (raw.dialTimeout !== '') {
    const ms = parseGoDuration(raw.dialTimeout);
    if (ms === null) throw new DecodeError(`time: invalid duration ${JSON.stringify(raw.dialTimeout)}`);
    out.dialTimeoutMs = ms;
  }
  return out;
}

/**
 * go-toml v1's lexer reads a table header up to the first `]`, quotes or not: `[host."[::1]:5000"]` is a syntax
 * error there (valid TOML elsewhere), so containerd 1.6/1.7 ignore such a file.
 */
function goTomlV1TableKeyError(text: string): { error: string; line: number } | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const start = l.length - l.trimStart().length;
    if (l[start] !== '[' || l[start + 1] === '[') continue;
    const close = l.indexOf(']', start);
    const header = close === -1 ? l.slice(start + 1) : l.slice(start + 1, close);
    // An unbalanced quote before the first ']' means the ']' sits inside a quoted key.
    if (close !== -1 && (header.split('"').length % 2 === 0 || header.split("'").length % 2 === 0)) {
      return { error: `failed to parse TOML: (${i + 1}, ${start + 2}): unexpected token table key cannot contain ']', was expecting a table key`, line: i + 1 };
    }
  }
  return null;
}

/**
 * Decodes one hosts.toml. `dir` is the directory the file is in (relative `ca`/`client` paths are joined to it).
 * Never throws: any problem is returned with containerd's error text and the line it concerns.
 */
export function parseHostsFile(text: string, dir: string, compat: ContainerdCompat): HostsFileResult {
  if (compat !== '2.x') {
    const lexErr = goTomlV1TableKeyError(text);
    if (lexErr !== null) return { ok: false, error: lexErr.error, line: lexErr.line };
  }
  let doc: Tbl;
  try {
    doc = parseToml(text) as Tbl;
  } catch (err) {
    if (err instanceof TomlError) {
      const msg = err.message.split('\n')[0]!.trim();
      return { ok: false, error: `failed to parse TOML: (${err.line}, ${err.column}): ${msg}`, line: err.line };
    }
    return { ok: false, error: `failed to parse TOML: ${(err as Error).message}`, line: 0 };
  }
  const scan = scanHostsToml(text);
  const lines = text.split('\n');
  const pos = (line: number | undefined): string => {
    if (line === undefined || line === 0) return '';
    const l = lines[line - 1] ?? '';
    return `(${line}, ${l.length - l.trimStart().length + 1}): `;
  };
  const hostValue = fieldValue(doc, 'host', 'HostConfigs', compat);
  const hostLine = scan.rootKeys.get('host') ?? scan.headerHosts[0]?.line ?? 0;
  let order: Array<{ host: string; line: number }>;
  const warnings: Array<{ line: number; message: string }> = [];
  if (compat === '2.x') {
    order = v2HostOrder(scan);
  } else {
    if (!isTable(doc['host'])) {
      // 1.6: a file without a [host] table (only `server`, say) or with [[host]] is refused as a whole.
      if (compat === '1.6') return { ok: false, error: 'invalid `host` tree', line: hostLine };
      order = [];
    } else {
      const hostTbl = doc['host'];
      const keys = Object.keys(hostTbl);
      const nonTables = keys.filter((k) => !isTable(hostTbl[k]));
      if (keys.length >= 2 && nonTables.length > 0) {
        // go-toml v1's sort by position type-asserts every value to a table: a panic, not an error.
        const line = scan.hostKeys.get(nonTables[0]!) ? scan.firstLine.get(nonTables[0]!) ?? hostLine : hostLine;
        return {
          ok: false,
          error: `panic: interface conversion: interface {} is *toml.tomlValue, not *toml.Tree (non-table value ${JSON.stringify(nonTables[0])} under [host])`,
          line,
          crash: true,
        };
      }
      const sorted = v1HostOrder(keys, scan);
      order = sorted.order;
      if (sorted.ambiguous && keys.length > 1) {
        warnings.push({ line: hostLine, message: 'several [host] tables have no position (inline tables): containerd tries them in random order' });
      }
    }
  }
  try {
    const hostTbl: Tbl = isTable(hostValue) ? hostValue : {};
    if (hostValue !== undefined && !isTable(hostValue)) {
      if (Array.isArray(hostValue)) throw new DecodeError(`Can't convert ${goValue(hostValue)}(${goType(hostValue)}) to a tree`);
      throw convertError(hostValue, 'a tree');
    }
    // go-toml decodes the struct in field order: the root table's fields, then server, then the host tables.
    const rootRaw = decodeFields(doc, compat, (key) => pos(scan.rootKeys.get(key)));
    const serverRaw = fieldValue(doc, 'server', 'Server', compat);
    if (serverRaw !== undefined && typeof serverRaw !== 'string') {
      throw convertError(serverRaw, 'string', pos(scan.rootKeys.get(fieldKey(doc, 'server', compat) ?? 'server')));
    }
    // Every host table is decoded (a bad one anywhere refuses the file), listed or not.
    const decoded = new Map<string, RawHostConfig>();
    for (const [k, v] of Object.entries(hostTbl)) {
      if (!isTable(v)) throw convertError(v, 'config.hostFileConfig', pos(scan.firstLine.get(k)));
      decoded.set(k, decodeFields(v, compat, (key) => pos(scan.hostKeys.get(k)?.get(key))));
    }
    const hosts: HostEntry[] = [];
    for (const { host, line } of order) {
      const raw = decoded.get(host) ?? decodeFields({}, compat);
      hosts.push(hostConfig(host, dir, raw, line, host, compat));
    }
    const serverLine = scan.rootKeys.get('server') ?? 0;
    hosts.push(hostConfig((serverRaw as string | undefined) ?? '', dir, rootRaw, serverLine, null, compat));
    return { ok: true, hosts, warnings };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, error: err.message, line: hostLine };
    throw err;
  }
}
