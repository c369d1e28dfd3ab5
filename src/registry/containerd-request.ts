/**
 * Requests to one hosts.toml host as containerd 1.6's remote resolver sends them (remotes/docker/resolver.go
 * `request.do`/`doWithRetries`, authorizer.go, auth/fetch.go), not as containers/image does:
 *  - no `/v2/` ping: the first request goes straight to `…/manifests/REF`; a 401 there starts auth;
 *  - URL = scheme://host + path.Join("/", host path, repository, parts…) + `?ns=REGISTRY` (Go's QueryEscape)
 *    when the host is not the reference's own registry;
 *  - headers: `User-Agent`, the hosts.toml `header` values, and the Accept the caller gives; no
 *    `Docker-Distribution-API-Version`;
 *  - retries (at most 6 responses): 401 with a usable challenge → authorize and resend; 405 on a HEAD of a
 *    manifest → resend as GET; 408 and 429 → resend at once (containerd has no back-off);
 *  - TLS per host: `skip_verify`, `ca` files added to the system roots, `client` pairs; `dial_timeout`.
 * Errors carry containerd's wording (`failed to do request: Head "URL": dial tcp …`, `failed to authorize: …`).
 * Credentials, tokens and Basic values are added to the redactor before any text can contain them.
 */
import { readFile } from '../fs-async.ts';
import { posix } from 'node:path';
import { STATUS_CODES } from 'node:http';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';
import type { DispatcherFactory } from './dispatcher-factory.ts';
import type { TlsMaterial } from './certs-d.ts';
import type { Credentials } from './auth-file.ts';
import type { AttemptStep } from './step.ts';
import type { ErrorClass } from './error-class.ts';
import type { Redactor } from './redact.ts';
import { DialTimeoutError, header, type HttpRequest, type HttpResponse } from './transport.ts';
import { exchangeFollowing, HopError, RedirectLimitError } from './redirects.ts';
import { goNetworkError } from './network-error.ts';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.ts';
import { redactUrl } from './redact.ts';
import { RegistryError } from './registry-error.ts';

/** containerd 1.6.20's resolve Accept header (resolver.go NewResolver). */
export const CONTAINERD_RESOLVE_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  '*/*',
].join(', ');

/** The User-Agent containerd sends (`containerd/` + version); pullpath says who it really is after it. */
export const CONTAINERD_USER_AGENT = 'containerd/1.6.20 (pullpath)';

/** resolver.go MaxManifestSize: `4 * 1048 * 1048` (sic). */
export const CONTAINERD_MAX_MANIFEST_SIZE = 4 * 1048 * 1048;

/** doWithRetries stops retrying once more than 5 responses were seen: at most 6 requests. */
const MAX_RESPONSES = 6;

/** Go's http.Response.Status: `404 Not Found`. */
export function goStatus(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/** Go's url.QueryEscape (letters, digits and `-_.~` kept; space → `+`; the rest %XX upper-case). */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * The URL containerd requests for `parts` (e.g. `['manifests', 'v1']`) of `repository` on `ep`: Go's path.Join
 * cleans the host path (`//v2` → `/v2`), and `?ns=` follows when the endpoint carries one.
 */
export function containerdUrl(ep: ContainerdEndpoint, repository: string, parts: string[]): string {
  let p = posix.join('/', ep.path, repository, ...parts);
  // dockerBase.request: path.Join drops a trailing slash; it is put back when the last part had one.
  if (parts.length > 0 && parts[parts.length - 1]!.endsWith('/') && !p.endsWith('/')) p += '/';
  return `${ep.scheme}://${ep.host}${p}${ep.ns !== null ? `?ns=${goQueryEscape(ep.ns)}` : ''}`;
}

/** Per-run authorizer state, as containerd's dockerAuthorizer: one handler per host, tokens per scope. */
export class ContainerdAuthState {
  readonly handlers = new Map<string, { scheme: 'bearer' | 'basic'; realm: string; service: string; creds: Credentials | null }>();
  readonly tokens = new Map<string, Promise<string>>();
}

export interface ContainerdRequestContext {
  dispatchers: DispatcherFactory;
  auth: ContainerdAuthState;
  /** Credentials for a host (containerd's `Credentials(host)`): pullpath looks `host/repository` up in auth.json. */
  credentialsFor: (host: string) => Promise<Credentials | null>;
  redactor: Redactor;
  /** The repository scope token requests ask for: `repository:NAME:pull` (the reference's own path). */
  scope: string;
  /** CA PEMs standing for the system trust store (scenarios: the mocks' CA), added for every https host. */
  systemCa?: string[];
  signal?: AbortSignal;
  steps?: AttemptStep[];
}

/** TLS material from a host's `ca` and `client` files, read once per run (the key is the file list). */
const tlsCache = new Map<string, Promise<TlsMaterial | null>>();
async function tlsFor(ep: ContainerdEndpoint, systemCa: string[] = []): Promise<TlsMaterial | null> {
  if (ep.scheme !== 'https' || (ep.caFiles.length === 0 && ep.clientCerts.length === 0 && systemCa.length === 0)) return null;
  const key = JSON.stringify([ep.caFiles, ep.clientCerts, systemCa]);
  let hit = tlsCache.get(key);
  if (!hit) {
    hit = (async () => {
      const ca = [...systemCa, ...(await Promise.all(ep.caFiles.map((f) => readFile(f, 'utf8'))))];
      // The dispatcher factory keys TLS settings by file names: the stand-in system roots get one of their own.
      const out: TlsMaterial = { dir: '', ca, files: [...systemCa.map((_, i) => `(system roots stand-in ${i}:${systemCa[i]!.length})`), ...ep.caFiles] };
      const pair = ep.clientCerts[0];
      if (pair) {
        // `client = "both.pem"` holds certificate and key in one file (tls.LoadX509KeyPair(f, f)).
        out.cert = await readFile(pair.cert, 'utf8');
        out.key = await readFile(pair.key ?? pair.cert, 'utf8');
        out.files.push(pair.cert, ...(pair.key ? [pair.key] : []));
      }
      return out;
    })();
    if (tlsCache.size > 256) tlsCache.clear();
    tlsCache.set(key, hit);
    hit.catch(() => tlsCache.delete(key));
  }
  return hit;
}

/** Go's http.Header canonical key for a hosts.toml header name (`x-custom` → `X-Custom`). */
function canonicalHeaderKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

function goMethod(m: string): string {
  return m.charAt(0) + m.slice(1).toLowerCase();
}

export interface ContainerdResponse {
  res: HttpResponse;
  /** The method of the last request sent (a HEAD answered 405 is resent as GET). */
  method: 'GET' | 'HEAD';
  url: string;
}

function fail(ctx: ContainerdRequestContext, s: AttemptStep, message: string, errorClass: ErrorClass, status: number | null): never {
  const msg = ctx.redactor.text(message);
  ctx.steps?.push({ ...s, ok: false, error: msg, errorClass, httpStatus: status, durationMs: Math.round(s.durationMs * 10) / 10 });
  throw new RegistryError(msg, errorClass, status);
}

/**
 * One containerd request with its retries (doWithRetries). Returns the last response whatever its status (the
 * caller decides, as resolver.go and fetcher.go do); throws RegistryError for transport and auth failures,
 * already worded as containerd wraps them.
 */
export async function containerdRequest(
  ep: ContainerdEndpoint,
  repository: string,
  method: 'GET' | 'HEAD',
  parts: string[],
  accept: string,
  ctx: ContainerdRequestContext,
  opts: { maxBodyBytes?: number; step: AttemptStep['step'] },
): Promise<ContainerdResponse> {
  const url = containerdUrl(ep, repository, parts);
  const shown = redactUrl(url);
  let tls: TlsMaterial | null;
  try {
    tls = await tlsFor(ep, ctx.systemCa);
  } catch (err) {
    // containerd refuses the whole hosts configuration when a ca/client file cannot be read (it logs and the
    // resolver has no hosts for the registry); here the host fails with what was wrong.
    return fail(ctx, { step: opts.step, ok: false, url: shown, method, durationMs: 0 }, `failed to load TLS material: ${(err as Error).message}`, 'tls', null);
  }
  const headers: Record<string, string | string[]> = { 'user-agent': CONTAINERD_USER_AGENT, accept };
  for (const [k, v] of Object.entries(ep.headers)) headers[canonicalHeaderKey(k)] = [...v];
  let current: 'GET' | 'HEAD' = method;
  for (let responses = 1; ; responses++) {
    const started = performance.now();
    const notes: string[] = [];
    let authValue: string | null;
    try {
      authValue = await authorize(ep, ctx);
    } catch (err) {
      const e = err as RegistryError;
      return fail(ctx, { step: opts.step, ok: false, url: shown, method: current, durationMs: performance.now() - started }, e.message, e.errorClass, e.httpStatus);
    }
    const req: HttpRequest = {
      method: current,
      url,
      headers: authValue ? { ...headers, authorization: authValue } : headers,
      insecure: ep.scheme === 'https' && ep.skipVerify,
      tls,
      maxBodyBytes: opts.maxBodyBytes ?? CONTAINERD_MAX_MANIFEST_SIZE + 1,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ep.dialTimeoutMs !== null ? { dialTimeoutMs: ep.dialTimeoutMs } : {}),
    };
    let res: HttpResponse;
    try {
      res = await exchangeFollowing(ctx.dispatchers, req, notes);
    } catch (err) {
      const s: AttemptStep = { step: opts.step, ok: false, url: shown, method: current, durationMs: performance.now() - started, ...(notes.length ? { detail: notes.join('; ') } : {}) };
      if (err instanceof RedirectLimitError) return fail(ctx, s, `failed to do request: ${goMethod(current)} ${JSON.stringify(redactUrl(err.location))}: stopped after 10 redirects`, 'http-error', null);
      const hopUrl = err instanceof HopError ? redactUrl(err.url) : shown;
      const cause = err instanceof HopError ? err.cause : err;
      if (cause instanceof DialTimeoutError) {
        return fail(ctx, { ...s, detail: `dial_timeout ${cause.ms} ms reached before a connection was up` }, `failed to do request: ${goMethod(current)} ${JSON.stringify(hopUrl)}: dial tcp ${ep.host}: i/o timeout`, 'timeout', null);
      }
      const g = goNetworkError(cause, { method: current, url: hopUrl, style: 'skopeo-1.9', ...(ctx.signal ? { signal: ctx.signal } : {}) });
      return fail(ctx, g.hint ? { ...s, detail: [s.detail, g.hint].filter(Boolean).join('; ') } : s, `failed to do request: ${g.message}`, g.errorClass, null);
    }
    const s: AttemptStep = { step: opts.step, ok: res.status < 300, url: shown, method: current, httpStatus: res.status, durationMs: Math.round((performance.now() - started) * 10) / 10 };
    if (notes.length) s.detail = notes.join('; ');
    if (responses >= MAX_RESPONSES) {
      ctx.steps?.push(s);
      return { res, method: current, url };
    }
    if (res.status === 401) {
      const retry = await addResponse(ep, ctx, res, responses > 1, s);
      ctx.steps?.push(s);
      if (retry) continue;
      return { res, method: current, url };
    }
    if (res.status === 405 && current === 'HEAD' && parts[0] === 'manifests') {
      s.detail = [s.detail, 'HEAD not allowed: resent as GET (containerd does this for manifests)'].filter(Boolean).join('; ');
      ctx.steps?.push(s);
      current = 'GET';
      continue;
    }
    if (res.status === 408 || res.status === 429) {
      s.detail = [s.detail, `${res.status}: containerd resends at once, without back-off (at most ${MAX_RESPONSES} requests)`].filter(Boolean).join('; ');
      ctx.steps?.push(s);
      continue;
    }
    ctx.steps?.push(s);
    return { res, method: current, url };
  }
}

/**
 * authorizer.go AddResponses for a 401: a Bearer challenge installs the host's handler (an `error=` parameter on
 * a repeated identical request means the credentials were refused: ErrInvalidAuthorization); Basic needs both a
 * user and a secret. true: resend the request.
 */
async function addResponse(ep: ContainerdEndpoint, ctx: ContainerdRequestContext, res: HttpResponse, repeated: boolean, s: AttemptStep): Promise<boolean> {
  const challenges: Challenge[] = parseWwwAuthenticate(res.headers['www-authenticate']);
  for (const c of challenges) {
    if (c.scheme === 'bearer') {
      const error = c.params.error;
      if (error && repeated) {
        ctx.auth.handlers.delete(ep.host);
        const msg = `server message: ${error}: authorization failed`;
        ctx.steps?.push({ ...s, ok: false, error: msg, errorClass: 'unauthorized' });
        throw new RegistryError(msg, 'unauthorized', 401);
      }
      if (ctx.auth.handlers.has(ep.host)) return true;
      if (!c.params.realm) {
        const msg = 'no realm specified for token auth challenge';
        ctx.steps?.push({ ...s, ok: false, error: msg, errorClass: 'unauthorized' });
        throw new RegistryError(msg, 'unauthorized', 401);
      }
      ctx.auth.handlers.set(ep.host, { scheme: 'bearer', realm: c.params.realm, service: c.params.service ?? '', creds: await ctx.credentialsFor(ep.host) });
      s.detail = [s.detail, 'Bearer challenge: a token will be fetched and the request resent'].filter(Boolean).join('; ');
      return true;
    }
    if (c.scheme === 'basic') {
      const creds = await ctx.credentialsFor(ep.host);
      if (creds?.username && creds.password) {
        ctx.auth.handlers.set(ep.host, { scheme: 'basic', realm: '', service: '', creds });
        return true;
      }
    }
  }
  s.detail = [s.detail, 'no usable challenge (containerd: failed to find supported auth scheme): the 401 is the answer'].filter(Boolean).join('; ');
  return false;
}

/** The Authorization value for a request to `ep` (authorizer.go Authorize), or null when the host has no handler yet. */
async function authorize(ep: ContainerdEndpoint, ctx: ContainerdRequestContext): Promise<string | null> {
  const h = ctx.auth.handlers.get(ep.host);
  if (!h) return null;
  const creds = h.creds;
  if (h.scheme === 'basic') {
    ctx.redactor.addBasic(creds!.username, creds!.password);
    return 'Basic ' + Buffer.from(`${creds!.username}:${creds!.password}`).toString('base64');
  }
  const key = `${ep.host}|${ctx.scope}`;
  let token = ctx.auth.tokens.get(key);
  if (!token) {
    token = fetchToken(h.realm, h.service, creds, ep, ctx);
    ctx.auth.tokens.set(key, token);
    // containerd caches a failed fetch too (scopedTokens keeps the error): so does this map.
  }
  try {
    return 'Bearer ' + (await token);
  } catch (err) {
    // request.do: `failed to authorize: %w` (not wrapped in "failed to do request").
    const e = err as RegistryError;
    throw new RegistryError(ctx.redactor.text(`failed to authorize: ${e.message}`), e.errorClass, e.httpStatus);
  }
}

/**
 * A token as auth/fetch.go gets one: anonymous GET `realm?scope=…&service=…`; with a secret, the OAuth POST
 * (client_id `containerd-client`), falling back to the GET when the POST answers 404, 401, 400 (or 405 with a user).
 */
async function fetchToken(realm: string, service: string, creds: Credentials | null, ep: ContainerdEndpoint, ctx: ContainerdRequestContext): Promise<string> {
  const secret = creds ? creds.password || creds.identityToken || '' : '';
  const username = creds && creds.password ? creds.username : '';
  if (secret) ctx.redactor.add(secret);
  if (username && secret) ctx.redactor.addBasic(username, secret);
  const base = { insecure: ep.scheme === 'https' && ep.skipVerify, tls: await tlsFor(ep, ctx.systemCa).catch(() => null), maxBodyBytes: 1024 * 1024, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const get = async (): Promise<string> => {
    const u = new URL(realm);
    if (service) u.searchParams.set('service', service);
    u.searchParams.append('scope', ctx.scope);
    const headers: Record<string, string> = { 'user-agent': CONTAINERD_USER_AGENT };
    if (username && secret) headers.authorization = 'Basic ' + Buffer.from(`${username}:${secret}`).toString('base64');
    const res = await tokenExchange({ method: 'GET', url: u.toString(), headers, ...base }, ctx);
    if (res.status < 200 || res.status >= 400) throw new UnexpectedStatus(res.status);
    return decodeToken(res, ['token', 'access_token']);
  };
  if (!secret) {
    try {
      return await get();
    } catch (err) {
      throw wrapTokenError('failed to fetch anonymous token: ', err);
    }
  }
  try {
    const form = new URLSearchParams();
    form.set('scope', ctx.scope);
    form.set('service', service);
    form.set('client_id', 'containerd-client');
    if (username) {
      form.set('grant_type', 'password');
      form.set('username', username);
      form.set('password', secret);
    } else {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', secret);
    }
    const res = await tokenExchange({ method: 'POST', url: realm, headers: { 'user-agent': CONTAINERD_USER_AGENT, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString(), ...base }, ctx);
    if (res.status < 200 || res.status >= 400) {
      const st = res.status;
      if ((st === 405 && username) || st === 404 || st === 401 || st === 400) return await get();
      throw new UnexpectedStatus(st);
    }
    return decodeToken(res, ['access_token']);
  } catch (err) {
    throw wrapTokenError('failed to fetch oauth token: ', err);
  }
}

class UnexpectedStatus extends Error {
  constructor(readonly status: number) {
    super(`unexpected status: ${goStatus(status)}`);
  }
}

function wrapTokenError(prefix: string, err: unknown): RegistryError {
  if (err instanceof UnexpectedStatus) return new RegistryError(prefix + err.message, err.status === 401 ? 'unauthorized' : err.status === 429 ? 'rate-limited' : err.status >= 500 ? 'server-error' : 'http-error', err.status);
  const e = err as RegistryError;
  return new RegistryError(prefix + e.message, e.errorClass ?? 'other', e.httpStatus ?? null);
}

async function tokenExchange(req: HttpRequest, ctx: ContainerdRequestContext): Promise<HttpResponse> {
  const started = performance.now();
  const shown = redactUrl(req.url);
  try {
    const res = await exchangeFollowing(ctx.dispatchers, req, []);
    ctx.steps?.push({ step: 'auth', ok: res.status === 200, url: shown, method: req.method, httpStatus: res.status, durationMs: Math.round((performance.now() - started) * 10) / 10, detail: `token for ${ctx.scope}` });
    return res;
  } catch (err) {
    const cause = err instanceof HopError ? err.cause : err;
    const g = goNetworkError(cause, { method: req.method, url: err instanceof HopError ? redactUrl(err.url) : shown, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    ctx.steps?.push({ step: 'auth', ok: false, url: shown, method: req.method, httpStatus: null, durationMs: Math.round((performance.now() - started) * 10) / 10, error: ctx.redactor.text(g.message), errorClass: g.errorClass });
    throw new RegistryError(g.message, g.errorClass, null);
  }
}

function decodeToken(res: HttpResponse, fields: string[]): string {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RegistryError(`unable to decode token response: the token endpoint answered ${res.body.length} bytes that are not JSON${header(res.headers, 'content-type') ? ` (Content-Type ${header(res.headers, 'content-type')})` : ''}`, 'not-a-registry', res.status);
  }
  const token = fields.map((f) => parsed[f]).find((v): v is string => typeof v === 'string' && v !== '') ?? '';
  if (!token) throw new RegistryError('authorization server did not include a token in the response', 'unauthorized', res.status);
  return token;
}
