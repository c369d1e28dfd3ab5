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

/** The field names go-toml v1 accepts for a struct field: its tag, the Go name, the Go name lower-cased. */
function fieldValue(t: Tbl, tag: string, goName: string, compat: ContainerdCompat): unknown {
  if (tag in t) return t[tag];
  if (compat === '2.x') {
    // go-toml v2 matches field names case-insensitively.
    for (const k of Object.keys(t)) if (k.toLowerCase() === tag.toLowerCase() || k.toLowerCase() === goName.toLowerCase()) return t[k];
    return undefined;
  }
  if (goName in t) return t[goName];
  if (goName.toLowerCase() in t) return t[goName.toLowerCase()];
  return undefined;
}

class DecodeError extends Error {}

function convertError(v: unknown, target: string): DecodeError {
  return new DecodeError(`Can't convert ${goValue(v)}(${goType(v)}) to ${target}`);
}

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
function decodeFields(t: Tbl, compat: ContainerdCompat): RawHostConfig {
  const caps = fieldValue(t, 'capabilities', 'Capabilities', compat);
  let capabilities: string[] | null = null;
  if (caps !== undefined) {
    if (!Array.isArray(caps)) throw convertError(caps, '[]string(slice)');
    capabilities = caps.map((c) => {
      if (typeof c !== 'string') throw convertError(c, 'string');
      return c;
    });
  }
  const skip = fieldValue(t, 'skip_verify', 'SkipVerify', compat);
  if (skip !== undefined && typeof skip !== 'boolean') throw convertError(skip, 'bool');
  const header = fieldValue(t, 'header', 'Header', compat);
  if (header !== undefined && !isTable(header)) throw convertError(header, 'a tree');
  const override = fieldValue(t, 'override_path', 'OverridePath', compat);
  if (override !== undefined && typeof override !== 'boolean') throw convertError(override, 'bool');
  let dialTimeout = '';
  if (compat === '2.x') {
    const dt = fieldValue(t, 'dial_timeout', 'DialTimeout', compat);
    if (dt !== undefined && typeof dt !== 'string') throw convertError(dt, 'string');
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
  const re = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;
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
 * Decodes one hosts.toml. `dir` is the directory the file is in (relative `ca`/`client` paths are joined to it).
 * Never throws: any problem is returned with containerd's error text and the line it concerns.
 */
export function parseHostsFile(text: string, dir: string, compat: ContainerdCompat): HostsFileResult {
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
    const serverRaw = fieldValue(doc, 'server', 'Server', compat);
    if (serverRaw !== undefined && typeof serverRaw !== 'string') throw convertError(serverRaw, 'string');
    // Every host table is decoded (a bad one anywhere refuses the file), listed or not.
    const decoded = new Map<string, RawHostConfig>();
    for (const [k, v] of Object.entries(hostTbl)) {
      if (!isTable(v)) throw convertError(v, 'a tree');
      decoded.set(k, decodeFields(v, compat));
    }
    const rootRaw = decodeFields(doc, compat);
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
