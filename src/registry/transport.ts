/**
 * One HTTP exchange through the dispatcher factory: the signal really ends it (undici does not abort a
 * pending connect/TLS handshake, so the caller is answered at once, and the ClientPool destroys the dial
 * the request was waiting on: nothing of it outlives the deadline), HEAD keeps the connection alive (`reset: false`; undici closes it after every HEAD otherwise),
 * and a body limit stops reading instead of buffering whatever the server sends. Requests go to the
 * origin's own ClientPool from the dispatcher factory, through undici's dispatch-handler interface.
 */
import type { DispatcherFactory } from './dispatcher-factory.ts';
import type { TlsMaterial } from './certs-d.ts';
import type { Dispatcher } from 'undici';
import { util } from './undici-core.ts';
import { unwatchAbort, watchAbort } from './abort-watch.ts';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  insecure: boolean;
  tls?: TlsMaterial | null;
  /** Stop reading past this many bytes (the response is then marked `tooLarge`). Default 1 MiB. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /**
   * containerd's `dial_timeout`: fail with `DialTimeoutError` when no connection carries the request within this
   * many ms (a connection reused or established in time stops the timer; a slow answer is not a dial failure).
   */
  dialTimeoutMs?: number;
}

/** The request was not on a connection within its `dialTimeoutMs` (Go: `dial tcp HOST: i/o timeout`). */
export class DialTimeoutError extends Error {
  readonly code = 'PP_ERR_DIAL_TIMEOUT';
  constructor(readonly ms: number) {
    super(`no connection within ${ms} ms`);
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body exceeded `maxBodyBytes`; `body` holds only the bytes read up to the limit. */
  tooLarge: boolean;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

const EMPTY = Buffer.alloc(0);
const NO_HEADERS: Record<string, string> = {};
const NO_RESPONSE_HEADERS: HttpResponse['headers'] = {};

/**
 * One request as an undici dispatch handler (the dispatcher's own callback interface): no response stream,
 * no promise from undici and no closure per request, so a request waiting on a slow server holds little more
 * than its connection. The signal is raced here: undici does not abort a pending connect or TLS handshake, so
 * the caller gets the signal's reason at once and the request is aborted as soon as undici reaches it.
 */
class Exchange {
  status = 0;
  headers: HttpResponse['headers'] = NO_RESPONSE_HEADERS;
  chunks: Buffer[] = [];
  total = 0;
  tooLarge = false;
  done = false;
  abortFn: ((reason?: Error) => void) | null = null;
  reason: unknown = null;
  dialTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly limit: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (r: HttpResponse) => void,
    readonly reject: (e: unknown) => void,
  ) {
    if (signal) watchAbort(signal, this);
  }

  /** containerd's dial_timeout: only while no connection carries the request (cleared in onConnect). */
  startDialTimer(ms: number): void {
    this.dialTimer = setTimeout(() => {
      this.dialTimer = null;
      if (this.done) return;
      this.reason = new DialTimeoutError(ms);
      this.finish();
      this.reject(this.reason);
    }, ms);
    this.dialTimer.unref?.();
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    if (this.done) return;
    this.reason = abortReason(this.signal!);
    this.finish();
    this.abortFn?.(this.reason as Error);
    this.reject(this.reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.dialTimer) {
      clearTimeout(this.dialTimer);
      this.dialTimer = null;
    }
    if (this.done) {
      abort((this.reason as Error) ?? undefined); // abandoned while connecting: never send it
      return;
    }
    this.abortFn = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (statusCode < 200) return true; // 1xx: the final answer follows
    this.status = statusCode;
    this.headers = rawHeaders ? (util.parseHeaders(rawHeaders) as HttpResponse['headers']) : NO_RESPONSE_HEADERS;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return false;
    if (this.total + chunk.length > this.limit) {
      // Stop reading: never buffer an unbounded body. The connection is aborted, the answer kept.
      this.chunks.push(chunk.subarray(0, this.limit - this.total));
      this.total = this.limit;
      this.tooLarge = true;
      this.complete();
      this.abortFn?.(new Error('response body over the limit'));
      return false;
    }
    this.chunks.push(chunk);
    this.total += chunk.length;
    return true;
  }

  onComplete(): void {
    if (!this.done) this.complete();
  }

  onError(err: Error): void {
    if (this.done) return; // after our own abort, or a late failure of an abandoned request
    this.finish();
    this.reject(err);
  }

  complete(): void {
    this.finish();
    const body = this.chunks.length === 0 ? EMPTY : this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
    this.chunks = [];
    this.resolve({ status: this.status, headers: this.headers, body, tooLarge: this.tooLarge });
  }

  finish(): void {
    this.done = true;
    if (this.dialTimer) {
      clearTimeout(this.dialTimer);
      this.dialTimer = null;
    }
    if (this.signal) unwatchAbort(this.signal, this);
  }
}

/** Performs one request. Network failures are rejected as undici/Node errors (see network-error.ts). */
export function exchange(dispatchers: DispatcherFactory, req: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => start(dispatchers, req, resolve, reject));
}

function start(dispatchers: DispatcherFactory, req: HttpRequest, resolve: (r: HttpResponse) => void, reject: (e: unknown) => void): void {
  if (req.signal?.aborted) return reject(abortReason(req.signal));
  let origin: string;
  let path: string;
  try {
    [origin, path] = originAndPath(req.url);
  } catch (err) {
    return reject(err);
  }
  const handler = new Exchange(req.maxBodyBytes ?? 1024 * 1024, req.signal, resolve, reject);
  if (req.dialTimeoutMs !== undefined) handler.startDialTimer(req.dialTimeoutMs);
  try {
    const dispatcher = dispatchers.get({ insecure: req.insecure, tls: req.tls ?? null }, origin);
    dispatcher.dispatch(
      {
        origin,
        path,
        method: req.method,
        headers: req.headers ?? NO_HEADERS,
        ...(req.body !== undefined ? { body: req.body } : {}),
        // HEAD keeps the connection alive (undici closes it after every HEAD otherwise).
        ...(req.method === 'HEAD' ? { reset: false } : {}),
        // The ClientPool destroys a dial (connect, TLS handshake) still pending when the signal aborts.
        ...(req.signal ? { signal: req.signal } : {}),
      } as Dispatcher.DispatchOptions,
      handler,
    );
  } catch (err) {
    handler.onError(err as Error);
  }
}

function originAndPath(u: string): [string, string] {
  // Registry API URLs are built by the client as `scheme://host[:port]/v2/…`: split them without a URL parse
  // (this runs per request). Anything else (a token realm from a server) goes through the WHATWG parser.
  const scheme = u.startsWith('https://') ? 8 : u.startsWith('http://') ? 7 : 0;
  const slash = scheme > 0 ? u.indexOf('/', scheme) : -1;
  if (slash > scheme && u.startsWith('/v2/', slash)) return [u.slice(0, slash), u.slice(slash)];
  const parsed = new URL(u);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`Invalid URL protocol: the URL must start with \`http:\` or \`https:\`.`);
  return [parsed.origin, `${parsed.pathname}${parsed.search}`];
}

/** First value of a header. */
export function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
