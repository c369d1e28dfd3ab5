/**
 * The HTTP trace of `--log-level debug`, taken at the edge: undici publishes every request on
 * node:diagnostics_channel (`undici:request:create`, `undici:client:sendHeaders`, `undici:request:headers`,
 * `undici:request:trailers`, `undici:request:error`), for the project's own Client-based pools too
 * (checked on Node 20.20 with undici 7.30). The engine stays unaware of it.
 *
 * Per request: a line when it is sent (time to connect, request headers that matter), a line when the
 * response headers arrive (status, time, response headers that matter), a line when the body is done, or
 * a line for the error. Credentials never appear: the Authorization header shows only its scheme, URLs
 * lose userinfo and secret query values (token, signature, …), response headers are an allowlist (no
 * Set-Cookie), bodies are never shown (token responses carry tokens), and any remaining text goes through
 * the client's Redactor (every password and token it handled).
 */
import diagnostics from 'node:diagnostics_channel';
import { redactUrl, type Redactor } from '../../src/registry/redact.ts';
import { logLine } from './log-level.ts';

/** Request headers worth seeing; Authorization is shown as its scheme only. */
const REQUEST_HEADERS = new Set(['accept', 'range', 'content-type', 'content-length', 'user-agent']);
/** Response headers worth seeing (registry protocol, redirects, auth challenges, rate limits). */
const RESPONSE_HEADERS = new Set([
  'content-type', 'content-length', 'docker-content-digest', 'docker-distribution-api-version', 'location',
  'www-authenticate', 'retry-after', 'content-range', 'ratelimit-remaining', 'x-ratelimit-remaining',
]);

interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
  headers?: string[] | string;
}

type Pair = [string, string];

/** undici keeps request headers as a flat [k, v, …] array (or a raw `k: v\r\n` string in older paths). */
function pairs(headers: unknown): Pair[] {
  const out: Pair[] = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out.push([String(headers[i]).toLowerCase(), String(headers[i + 1])]);
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const at = line.indexOf(':');
      if (at > 0) out.push([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
    }
  }
  return out;
}

/** `Bearer <redacted>`: which kind of credential was sent, never the credential. */
function authorizationShown(value: string): string {
  const scheme = /^(\S+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} <redacted>` : '<redacted>';
}

export function requestHeadersShown(headers: unknown): string[] {
  const shown: string[] = [];
  for (const [k, v] of pairs(headers)) {
    if (k === 'authorization' || k === 'proxy-authorization') shown.push(`${k}: ${authorizationShown(v)}`);
    else if (k === 'cookie') shown.push('cookie: <redacted>');
    else if (REQUEST_HEADERS.has(k)) shown.push(`${k}: ${v}`);
  }
  return shown;
}

export function responseHeadersShown(headers: unknown): string[] {
  // Response headers arrive as Buffers in the same flat layout.
  const flat = Array.isArray(headers) ? headers.map((h) => (Buffer.isBuffer(h) ? h.toString('latin1') : String(h))) : headers;
  return pairs(flat)
    .filter(([k]) => RESPONSE_HEADERS.has(k))
    .map(([k, v]) => `${k}: ${k === 'location' ? redactUrl(v) : v}`);
}

function urlOf(req: UndiciRequest): string {
  const origin = String(req.origin ?? '').replace(/\/$/, '');
  return redactUrl(origin + (req.path ?? ''));
}

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);

export interface HttpTraceOptions {
  write: (text: string) => void;
  redactor?: Redactor | undefined;
  now?: () => number;
}

/** Starts tracing every undici request in this process; returns the function that stops it. */
export function startHttpTrace(opts: HttpTraceOptions): () => void {
  const now = opts.now ?? (() => performance.now());
  const clean = (s: string): string => opts.redactor?.text(s) ?? s;
  const say = (msg: string): void => opts.write(logLine('debug', clean(msg)));
  const started = new WeakMap<object, number>();
  const since = (req: object): number => now() - (started.get(req) ?? now());

  const handlers: [string, (m: unknown) => void][] = [
    ['undici:request:create', (m) => started.set((m as { request: object }).request, now())],
    ['undici:client:sendHeaders', (m) => {
      const { request } = m as { request: UndiciRequest };
      const hs = requestHeadersShown(request.headers);
      say(`HTTP ${request.method} ${urlOf(request)} sent after ${ms(since(request))}${hs.length ? ` (${hs.join('; ')})` : ''}`);
    }],
    ['undici:request:headers', (m) => {
      const { request, response } = m as { request: UndiciRequest; response: { statusCode: number; statusText?: string; headers: unknown } };
      const hs = responseHeadersShown(response.headers);
      say(`HTTP ${request.method} ${urlOf(request)} -> ${response.statusCode}${response.statusText ? ` ${response.statusText}` : ''} in ${ms(since(request))}${hs.length ? ` (${hs.join('; ')})` : ''}`);
    }],
    ['undici:request:trailers', (m) => {
      const { request } = m as { request: UndiciRequest };
      say(`HTTP ${request.method} ${urlOf(request)} done in ${ms(since(request))}`);
    }],
    ['undici:request:error', (m) => {
      const { request, error } = m as { request: UndiciRequest; error: Error & { code?: string } };
      say(`HTTP ${request.method} ${urlOf(request)} failed after ${ms(since(request))}: ${error.code ? `${error.code} ` : ''}${error.message}`);
    }],
  ];
  for (const [name, fn] of handlers) diagnostics.subscribe(name, fn);
  return () => {
    for (const [name, fn] of handlers) diagnostics.unsubscribe(name, fn);
  };
}
