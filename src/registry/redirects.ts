/**
 * Redirects followed as Go's net/http client follows them (the runtime's client uses the default policy):
 *  - at most 10 requests: the 10th redirect fails with `stopped after 10 redirects`, worded as a url.Error
 *    on the Location that was not followed (`Get "LOC": stopped after 10 redirects`);
 *  - 301/302/303 turn any method but GET/HEAD into GET without a body; 307/308 keep the method and the body;
 *  - a 3xx without Location is the answer, as is;
 *  - every hop sends the *first* request's headers, except Authorization, Www-Authenticate, Cookie and
 *    Cookie2 when the hop's host[:port] is neither the previous hop's nor a subdomain of it
 *    (Go 1.19's shouldCopyHeaderOnRedirect, which compares host and port);
 *  - TLS settings stay those of the registry (the runtime's transport is per registry), and every hop dials
 *    through the dispatcher factory, so the host map applies to redirect targets too.
 * undici's redirect interceptor is not used: it keeps different rules (it strips on origin change, which differs
 * from Go for subdomains) and hides the hops from the steps.
 */
import type { DispatcherFactory } from './dispatcher-factory.ts';
import { exchange, header, type HttpRequest, type HttpResponse } from './transport.ts';
import { redactUrl } from './redact.ts';

/** Go's defaultCheckRedirect limit. */
export const MAX_REDIRECTS = 10;

const REDIRECT = new Set([301, 302, 303, 307, 308]);
const SENSITIVE = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2']);

/** A failure on a hop after the first: carries the URL Go's url.Error names (that hop's). */
export class HopError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** The client-policy failure after too many hops (Go returns it as a url.Error, not a network error). */
export class RedirectLimitError extends Error {
  constructor(
    readonly method: string,
    readonly location: string,
  ) {
    super(`stopped after ${MAX_REDIRECTS} redirects`);
  }
}

function defaultPort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

/** Go's canonicalAddr: host:port with the scheme's default port. */
function canonicalAddr(u: URL): string {
  return `${u.hostname}:${defaultPort(u)}`;
}

/** Go's isDomainOrSubdomain on canonical addresses. */
export function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  return sub.endsWith(parent) && sub[sub.length - parent.length - 1] === '.';
}

/**
 * Performs `req`, following redirects. `notes` gets one line per hop (URLs redacted), and one when
 * credentials were not forwarded.
 */
export async function exchangeFollowing(dispatchers: DispatcherFactory, req: HttpRequest, notes: string[]): Promise<HttpResponse> {
  let res = await exchange(dispatchers, req);
  if (!REDIRECT.has(res.status)) return res; // the common case: no URL parsing, no allocation
  const initialHeaders = req.headers ?? {};
  let current = req;
  let prevUrl = new URL(req.url);
  for (let sent = 1; ; sent++) {
    if (!REDIRECT.has(res.status)) return res;
    const loc = header(res.headers, 'location');
    if (loc === undefined || loc === '') return res;
    let next: URL;
    try {
      next = new URL(loc, prevUrl);
    } catch {
      throw new HopError(current.url, new Error(`failed to parse Location header ${JSON.stringify(loc)}`));
    }
    const keepBody = res.status === 307 || res.status === 308;
    const method = keepBody || current.method === 'GET' || current.method === 'HEAD' ? current.method : 'GET';
    if (sent >= MAX_REDIRECTS) throw new RedirectLimitError(req.method, loc);
    const headers: Record<string, string | string[]> = {};
    let dropped = false;
    const sameScope = isDomainOrSubdomain(canonicalAddr(next), canonicalAddr(prevUrl));
    for (const [k, v] of Object.entries(initialHeaders)) {
      if (SENSITIVE.has(k.toLowerCase()) && !sameScope) {
        dropped = true;
        continue;
      }
      headers[k] = v;
    }
    notes.push(`redirected (${res.status}) to ${redactUrl(next.toString())}${dropped ? ', credentials not forwarded (another host)' : ''}`);
    current = {
      method,
      url: next.toString(),
      headers,
      insecure: req.insecure,
      ...(req.tls !== undefined ? { tls: req.tls } : {}),
      ...(keepBody && current.body !== undefined ? { body: current.body } : {}),
      ...(req.maxBodyBytes !== undefined ? { maxBodyBytes: req.maxBodyBytes } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    };
    prevUrl = next;
    try {
      res = await exchange(dispatchers, current);
    } catch (err) {
      throw new HopError(current.url, err);
    }
  }
}
