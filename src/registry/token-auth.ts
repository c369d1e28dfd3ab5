/**
 * Request authentication after the ping, as containers/image's setupRequestAuth: the ping's challenges
 * decide (Basic → credentials; Bearer → a token for `repository:NAME:pull` from the realm, anonymous when
 * there are no credentials). Tokens are cached per realm, service, scope and user until they expire
 * (never sooner than 60 s, the runtime's minimum lifetime).
 */
import type { Challenge } from './www-authenticate.ts';
import type { Credentials } from './credential-store.ts';
import type { DispatcherFactory } from './dispatcher-factory.ts';
import type { TlsMaterial } from './certs-d.ts';
import type { AttemptStep } from './step.ts';
import type { Redactor } from './redact.ts';
import { STATUS_CODES } from 'node:http';
import { exchangeFollowing, HopError, RedirectLimitError } from './redirects.ts';
import { goNetworkError } from './network-error.ts';
import { registryResponseError, type ErrorWordingStyle } from './http-error.ts';
import { parseWwwAuthenticate } from './www-authenticate.ts';
import { redactUrl } from './redact.ts';
import { RegistryError } from './registry-error.ts';

const MIN_TOKEN_LIFETIME_S = 60;
/** iolimits.MaxAuthTokenBodySize */
const MAX_TOKEN_BODY = 1024 * 1024;

/** Bearer tokens by `realm|service|scope|user`. One instance per run; no module-level state. */
export class TokenCache {
  private readonly entries = new Map<string, { token: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}
  get(key: string): string | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (this.now() >= e.expiresAt) {
      this.entries.delete(key);
      return null;
    }
    return e.token;
  }
  set(key: string, token: string, expiresAt: number): void {
    this.entries.set(key, { token, expiresAt });
  }
  get size(): number {
    return this.entries.size;
  }
}

export interface AuthContext {
  dispatchers: DispatcherFactory;
  insecure: boolean;
  tls: TlsMaterial | null;
  challenges: Challenge[];
  credentials: Credentials | null;
  tokenCache: TokenCache;
  redactor: Redactor;
  style: ErrorWordingStyle;
  userAgent: string;
  now: () => number;
  signal?: AbortSignal;
  steps?: AttemptStep[];
}

/**
 * Returns the Authorization header value for a request needing `scope` (plus `extraScopes`, e.g. the wider
 * scope of an `insufficient_scope` challenge), or null when no challenge is usable.
 */
export async function authorization(ctx: AuthContext, scope: string, extraScopes: string[] = []): Promise<string | null> {
  for (const ch of ctx.challenges) {
    if (ch.scheme === 'basic') {
      if (!ctx.credentials || (!ctx.credentials.username && !ctx.credentials.password)) return null;
      ctx.redactor.addBasic(ctx.credentials.username, ctx.credentials.password);
      return 'Basic ' + Buffer.from(`${ctx.credentials.username}:${ctx.credentials.password}`).toString('base64');
    }
    if (ch.scheme === 'bearer') return 'Bearer ' + (await bearerToken(ctx, ch, [scope, ...extraScopes]));
  }
  return null; // the runtime then tries unauthenticated
}

async function bearerToken(ctx: AuthContext, ch: Challenge, scopes: string[]): Promise<string> {
  const scope = scopes.join(' ');
  const realm = ch.params.realm;
  if (!realm) throw new RegistryError('missing realm in bearer auth challenge', 'unauthorized');
  const service = ch.params.service ?? '';
  const creds = ctx.credentials;
  const key = `${realm}|${service}|${scope}|${creds?.username ?? ''}|${creds?.source.text ?? ''}`;
  const cached = ctx.tokenCache.get(key);
  const who = creds ? `with ${creds.source.text}` : 'anonymous';
  if (cached) {
    ctx.steps?.push({ step: 'auth', ok: true, url: redactUrl(realm), durationMs: 0, detail: `token for ${scope} from cache, ${who}` });
    return cached;
  }
  const started = performance.now();
  const url = new URL(realm);
  const oauth = Boolean(creds?.identityToken);
  const headers: Record<string, string> = { 'user-agent': ctx.userAgent };
  let body: string | undefined;
  if (oauth) {
    const form = new URLSearchParams();
    if (service) form.set('service', service);
    for (const sc of scopes) form.append('scope', sc);
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', creds!.identityToken!);
    form.set('client_id', 'containers/image');
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    ctx.redactor.add(creds!.identityToken);
  } else {
    if (creds?.username) url.searchParams.set('account', creds.username);
    if (service) url.searchParams.set('service', service);
    for (const sc of scopes) url.searchParams.append('scope', sc);
    if (creds?.username && creds.password) {
      ctx.redactor.addBasic(creds.username, creds.password);
      headers.authorization = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    }
  }
  const shown = redactUrl(url.toString());
  const method = oauth ? 'POST' : 'GET';
  const fail = (message: string, errorClass: RegistryError['errorClass'], status: number | null): never => {
    const msg = ctx.redactor.text(message);
    ctx.steps?.push({ step: 'auth', ok: false, url: shown, method, httpStatus: status, durationMs: Math.round((performance.now() - started) * 10) / 10, error: msg, errorClass, detail: [`token for ${scope}, ${who}`, ...hops].join('; ') });
    throw new RegistryError(msg, errorClass, status);
  };
  let res;
  const hops: string[] = []; // redirects of the token request (the runtime's client follows them too)
  try {
    res = await exchangeFollowing(ctx.dispatchers, {
      method,
      url: url.toString(),
      headers,
      ...(body !== undefined ? { body } : {}),
      insecure: ctx.insecure,
      tls: ctx.tls,
      maxBodyBytes: MAX_TOKEN_BODY,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    }, hops);
  } catch (err) {
    if (err instanceof RedirectLimitError) return fail(`${method === 'POST' ? 'Post' : 'Get'} ${JSON.stringify(redactUrl(err.location))}: ${err.message}`, 'http-error', null);
    const g = goNetworkError(err instanceof HopError ? err.cause : err, { method, url: err instanceof HopError ? redactUrl(err.url) : shown, style: ctx.style, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return fail(g.message, g.errorClass, null);
  }
  if (res.status === 401) {
    const inner = registryResponseError(401, res.body, parseWwwAuthenticate(res.headers['www-authenticate']), ctx.style);
    return fail(`unable to retrieve auth token: invalid username/password: ${inner.message}`, 'unauthorized', 401);
  }
  if (res.status === 429) return fail('too many requests to registry', 'rate-limited', 429);
  if (res.status !== 200) {
    const context = oauth ? 'Trying to obtain access token' : 'Requesting bearer token';
    return fail(`${context}: invalid status code from registry ${res.status} (${STATUS_CODES[res.status] ?? ''})`, res.status >= 500 ? 'server-error' : 'http-error', res.status);
  }
  let parsed: { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
  try {
    parsed = JSON.parse(res.body.toString('utf8'));
  } catch {
    // V8's parse message quotes the body, which may be a token: describe the body, never show it.
    const ct = res.headers['content-type'];
    return fail(
      `decoding bearer token (last URL ${JSON.stringify(shown)}): the token endpoint answered ${res.body.length} bytes that are not JSON${ct ? ` (Content-Type ${String(ct)})` : ''}`,
      'not-a-registry',
      200,
    );
  }
  const token = parsed.token || parsed.access_token || '';
  ctx.redactor.add(token);
  const lifetime = Math.max(Number(parsed.expires_in) || 0, MIN_TOKEN_LIFETIME_S);
  const issued = parsed.issued_at ? Date.parse(parsed.issued_at) : NaN;
  const expiresAt = (Number.isFinite(issued) ? issued : ctx.now()) + lifetime * 1000;
  ctx.tokenCache.set(key, token, expiresAt);
  ctx.steps?.push({
    step: 'auth',
    ok: true,
    url: shown,
    method,
    httpStatus: 200,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    detail: [`token for ${scope}, ${who}, valid ${lifetime} s`, ...hops].join('; '),
  });
  return token;
}
