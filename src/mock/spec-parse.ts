/**
 * Turns a registry description as written in a scenario file (TOML parsed to plain objects, kebab-case keys)
 * into a checked MockRegistrySpec. camelCase keys are accepted too. Every error names the key path and
 * what was expected: `registry[1].fault[0].status: expected an HTTP status (100-599), got "abc"`.
 */
import type { FaultKind, FaultRule, MockAuthSpec, MockImageSpec, MockRegistrySpec, MockUser } from './spec.ts';
import { ConfigError } from '../errors.ts';
import { parseSize } from './sizes.ts';
import { parsePlatform } from './image-builder.ts';

type Table = Record<string, unknown>;

export interface ParseWhere {
  /** The file, for the error. */
  file?: string;
  /** Key path of this table in the file, e.g. `registry[0]`. Default `registry`. */
  key?: string;
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

class Reader {
  constructor(
    readonly file: string | undefined,
    readonly path: string,
  ) {}
  fail(key: string | undefined, expected: string, got?: unknown): never {
    // Keys are shown as written in TOML (kebab-case); list positions as [n].
    const shown = key?.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase());
    const at = shown === undefined ? this.path : /^\d+$/.test(shown) ? `${this.path}[${shown}]` : `${this.path}.${shown}`;
    const gotText = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
    throw new ConfigError(`${this.file !== undefined ? this.file + ': ' : ''}${at}: expected ${expected}${gotText}`, this.file !== undefined ? { file: this.file } : {});
  }
  table(value: unknown, allowed: string[]): Table {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(undefined, 'a table', value);
    const out: Table = {};
    for (const [k, v] of Object.entries(value as Table)) {
      const c = camel(k);
      if (!allowed.includes(c)) this.fail(k, `one of the keys ${allowed.map((a) => a.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase())).join(', ')} (unknown key)`);
      out[c] = v;
    }
    return out;
  }
  child(key: string): Reader {
    return new Reader(this.file, /^\d+$/.test(key) ? `${this.path}[${key}]` : `${this.path}.${key}`);
  }
  string(t: Table, key: string, required = false): string | undefined {
    const v = t[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') this.fail(key, 'a non-empty string', v);
    return v;
  }
  bool(t: Table, key: string): boolean | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'true or false', v);
    return v;
  }
  number(t: Table, key: string, what = 'a number ≥ 0', ok: (n: number) => boolean = (n) => n >= 0): number | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) this.fail(key, what, v);
    return v;
  }
  size(t: Table, key: string): number | undefined {
    if (t[key] === undefined) return undefined;
    const n = parseSize(t[key]);
    if (n === undefined) this.fail(key, 'a size in bytes (1024) or with a unit ("64KiB", "16MiB", "1GB")', t[key]);
    return n;
  }
  strings(t: Table, key: string, check?: (s: string) => boolean, what = 'a list of strings'): string[] | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || (check !== undefined && !check(s)))) this.fail(key, what, v);
    return v as string[];
  }
  list(t: Table, key: string): unknown[] | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(key, 'a list (TOML array or array of tables)', v);
    return v;
  }
}

const NAME_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const KINDS: FaultKind[] = [
  'refuse', 'blackhole', 'latency', 'slow-body', 'status', 'flaky', 'wrong-digest', 'html', 'truncate', 'reset', 'stale-tag',
  'not-manifest', 'deep-json', 'redirect', 'big-header', 'lying-digest', 'tls-bytes',
  'signature-missing', 'signature-wrong-key', 'signature-wrong-digest', 'signature-wrong-identity',
];
const ROUTES = ['ping', 'manifest', 'blob', 'tags', 'catalog', 'token'];
const MATCH_KEYS = ['kind', 'method', 'path', 'route', 'repository', 'reference', 'from', 'to', 'count', 'probability'];
const PARAM_KEYS: Record<FaultKind, string[]> = {
  refuse: [],
  blackhole: [],
  latency: ['ms', 'distribution', 'min', 'max', 'mean', 'stddev'],
  'slow-body': ['bytesPerSecond'],
  status: ['status', 'retryAfter', 'code', 'message'],
  flaky: ['fault'],
  'wrong-digest': [],
  html: [],
  truncate: ['afterBytes'],
  reset: ['afterBytes'],
  'not-manifest': ['body', 'contentType'],
  'deep-json': ['depth'],
  redirect: ['location', 'status'],
  'big-header': ['bytes', 'header'],
  'lying-digest': [],
  'tls-bytes': [],
  'stale-tag': ['content'],
  'signature-missing': [],
  'signature-wrong-key': [],
  'signature-wrong-digest': [],
  'signature-wrong-identity': ['identity'],
};

function parseImage(r: Reader, raw: unknown): MockImageSpec {
  const t = r.table(raw, ['repository', 'tags', 'platforms', 'layers', 'format', 'content', 'signatures', 'signedName']);
  const repository = r.string(t, 'repository', true)!;
  if (!NAME_RE.test(repository)) r.fail('repository', 'a repository path in lower case, like "org/app"', repository);
  const img: MockImageSpec = { repository };
  const tags = r.strings(t, 'tags', (s) => TAG_RE.test(s), 'a list of tags like ["1.4", "latest"]');
  if (tags) img.tags = tags;
  const platforms = r.strings(t, 'platforms', (s) => {
    try {
      parsePlatform(s);
      return true;
    } catch {
      return false;
    }
  }, 'a list of platforms like ["linux/amd64", "linux/arm64/v8"]');
  if (platforms) {
    if (platforms.length === 0) r.fail('platforms', 'at least one platform');
    img.platforms = platforms;
  }
  const layers = r.list(t, 'layers');
  if (layers) img.layers = layers.map((l, i) => r.child('layers').size({ [String(i)]: l }, String(i))!);
  if (t.format !== undefined) {
    if (t.format !== 'oci' && t.format !== 'docker') r.fail('format', '"oci" or "docker"', t.format);
    img.format = t.format;
  }
  const content = r.string(t, 'content');
  if (content) img.content = content;
  const signatures = parseSignatures(r, t);
  if (signatures) img.signatures = signatures;
  const signedName = r.string(t, 'signedName');
  if (signedName) img.signedName = signedName;
  return img;
}

/** `signatures = "sigstore"`, "gpg" (or "none"), on an image or a registry. */
function parseSignatures(r: Reader, t: Record<string, unknown>): 'sigstore' | 'gpg' | 'none' | undefined {
  if (t.signatures === undefined) return undefined;
  if (t.signatures !== 'sigstore' && t.signatures !== 'gpg' && t.signatures !== 'none') r.fail('signatures', '"sigstore", "gpg" or "none"', t.signatures);
  return t.signatures as 'sigstore' | 'gpg' | 'none';
}

function parseUser(r: Reader, raw: unknown): MockUser {
  const t = r.table(raw, ['username', 'password', 'repositories']);
  const u: MockUser = { username: r.string(t, 'username', true)!, password: r.string(t, 'password', true)! };
  const repos = r.strings(t, 'repositories');
  if (repos) u.repositories = repos;
  return u;
}

function parseAuth(r: Reader, raw: unknown): MockAuthSpec {
  const t = r.table(raw, ['type', 'users', 'realm', 'service', 'anonymous', 'tokenTtl']);
  const users = r.list(t, 'users')?.map((u, i) => parseUser(r.child('users').child(String(i)), u));
  switch (t.type) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      if (!users?.length) r.fail('users', 'at least one user for basic auth: users = [{ username = "…", password = "…" }]');
      return { type: 'basic', users, ...(t.realm !== undefined ? { realm: r.string(t, 'realm')! } : {}) };
    case 'bearer': {
      const a: MockAuthSpec = { type: 'bearer' };
      if (users) a.users = users;
      const anonymous = r.bool(t, 'anonymous');
      if (anonymous !== undefined) a.anonymous = anonymous;
      const service = r.string(t, 'service');
      if (service) a.service = service;
      const realm = r.string(t, 'realm');
      if (realm) a.realm = realm;
      const ttl = r.number(t, 'tokenTtl', 'a token lifetime in seconds (> 0)', (n) => n > 0);
      if (ttl !== undefined) a.tokenTtl = ttl;
      return a;
    }
    default:
      return r.fail('type', '"none", "basic" or "bearer"', t.type);
  }
}

function parseFault(r: Reader, raw: unknown, nested = false): FaultRule {
  const kind = (raw as Table | null)?.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind as FaultKind)) r.fail('kind', `one of ${KINDS.join(', ')}`, kind);
  const k = kind as FaultKind;
  if (nested && (k === 'flaky' || k === 'refuse' || k === 'stale-tag')) r.fail('kind', 'a per-request fault inside flaky (not flaky, refuse or stale-tag)', k);
  const t = r.table(raw, [...MATCH_KEYS, ...PARAM_KEYS[k]]);
  const rule = { kind: k } as Record<string, unknown>;
  if (t.method !== undefined) {
    const m = typeof t.method === 'string' ? [t.method] : r.strings(t, 'method');
    rule.method = m!.map((s) => s.toUpperCase());
  }
  if (t.route !== undefined) {
    const routes = typeof t.route === 'string' ? [t.route] : r.strings(t, 'route');
    if (routes!.some((x) => !ROUTES.includes(x))) r.fail('route', `route names among ${ROUTES.join(', ')}`, t.route);
    rule.route = routes;
  }
  for (const key of ['path', 'repository', 'reference'] as const) if (t[key] !== undefined) rule[key] = r.string(t, key);
  for (const key of ['from', 'to'] as const) if (t[key] !== undefined) rule[key] = r.number(t, key, 'seconds since start (≥ 0)');
  if (typeof rule.from === 'number' && typeof rule.to === 'number' && rule.to <= rule.from) r.fail('to', `a time after from (${rule.from})`, rule.to);
  if (t.count !== undefined) rule.count = r.number(t, 'count', 'a whole number ≥ 1', (n) => Number.isInteger(n) && n >= 1);
  if (t.probability !== undefined) rule.probability = r.number(t, 'probability', 'a probability between 0 and 1', (n) => n >= 0 && n <= 1);
  if (k === 'refuse' && ['method', 'path', 'route', 'repository', 'reference', 'count', 'probability'].some((x) => t[x] !== undefined)) {
    r.fail(undefined, 'only from/to on a refuse rule: it closes the whole port, not single requests');
  }
  switch (k) {
    case 'latency': {
      const d = t.distribution ?? 'fixed';
      const pos = (key: string) => r.number(t, key, 'milliseconds (≥ 0)');
      if (d === 'fixed') rule.ms = pos('ms') ?? r.fail('ms', 'a delay in milliseconds');
      else if (d === 'uniform') [rule.min, rule.max] = [pos('min') ?? r.fail('min', 'milliseconds'), pos('max') ?? r.fail('max', 'milliseconds')];
      else if (d === 'normal') [rule.mean, rule.stddev] = [pos('mean') ?? r.fail('mean', 'milliseconds'), pos('stddev') ?? r.fail('stddev', 'milliseconds')];
      else if (d === 'exponential') rule.mean = pos('mean') ?? r.fail('mean', 'milliseconds');
      else r.fail('distribution', '"fixed", "uniform", "normal" or "exponential"', d);
      if (d !== 'fixed') rule.distribution = d;
      break;
    }
    case 'slow-body':
      rule.bytesPerSecond = r.size(t, 'bytesPerSecond') ?? r.fail('bytes-per-second', 'a rate in bytes per second');
      if (rule.bytesPerSecond === 0) r.fail('bytes-per-second', 'a rate above 0', 0);
      break;
    case 'status':
      rule.status = r.number(t, 'status', 'an HTTP status (100-599)', (n) => Number.isInteger(n) && n >= 100 && n <= 599) ?? r.fail('status', 'an HTTP status such as 503');
      if (t.retryAfter !== undefined) rule.retryAfter = r.number(t, 'retryAfter', 'seconds (≥ 0)');
      if (t.code !== undefined) rule.code = r.string(t, 'code');
      if (t.message !== undefined) rule.message = r.string(t, 'message');
      break;
    case 'flaky':
      if (t.fault !== undefined) rule.fault = parseFault(r.child('fault'), t.fault, true);
      break;
    case 'truncate':
    case 'reset':
      if (t.afterBytes !== undefined) rule.afterBytes = r.size(t, 'afterBytes');
      break;
    case 'stale-tag':
      if (t.content !== undefined) rule.content = r.string(t, 'content');
      break;
    case 'signature-wrong-identity':
      if (t.identity !== undefined) rule.identity = r.string(t, 'identity');
      break;
    case 'not-manifest':
      if (t.body !== undefined) rule.body = r.string(t, 'body');
      if (t.contentType !== undefined) rule.contentType = r.string(t, 'contentType');
      break;
    case 'deep-json':
      if (t.depth !== undefined) rule.depth = r.number(t, 'depth', 'a nesting depth from 1 to 10000000', (n) => Number.isInteger(n) && n >= 1 && n <= 10_000_000);
      break;
    case 'redirect': {
      const loc = r.string(t, 'location') ?? r.fail('location', 'a URL to redirect to, like "http://other.example.com:5000"');
      if (!/^https?:\/\/[^/\s]+/.test(loc) && !loc.startsWith('/')) r.fail('location', 'an http(s) URL or an absolute path', loc);
      rule.location = loc;
      if (t.status !== undefined) rule.status = r.number(t, 'status', 'a redirect status: 301, 302, 303, 307 or 308', (n) => [301, 302, 303, 307, 308].includes(n));
      break;
    }
    case 'big-header':
      if (t.bytes !== undefined) rule.bytes = r.size(t, 'bytes');
      if (t.header !== undefined) rule.header = (r.string(t, 'header') ?? '').toLowerCase();
      break;
    default:
      break;
  }
  return rule as unknown as FaultRule;
}

/** Check and convert one `[[registry]]` table. Throws ConfigError naming the key and what was expected. */
export function parseMockRegistrySpec(raw: unknown, where: ParseWhere = {}): MockRegistrySpec {
  const r = new Reader(where.file, where.key ?? 'registry');
  const t = r.table(raw, ['host', 'images', 'auth', 'tls', 'down', 'fault', 'faults', 'signatures']);
  const spec: MockRegistrySpec = { host: r.string(t, 'host', true)! };
  if (/[\s/]/.test(spec.host)) r.fail('host', 'a host name with an optional port, like "mirror.example.com:5000"', spec.host);
  const images = r.list(t, 'images');
  if (images) spec.images = images.map((img, i) => parseImage(r.child('images').child(String(i)), img));
  if (t.auth !== undefined) spec.auth = parseAuth(r.child('auth'), t.auth);
  const tls = r.bool(t, 'tls');
  if (tls !== undefined) spec.tls = tls;
  const down = r.bool(t, 'down');
  if (down !== undefined) spec.down = down;
  const faultKey = t.fault !== undefined ? 'fault' : 'faults';
  const faults = r.list(t, faultKey);
  if (faults) spec.faults = faults.map((f, i) => parseFault(r.child(faultKey).child(String(i)), f));
  const signatures = parseSignatures(r, t);
  if (signatures) spec.signatures = signatures;
  return spec;
}
