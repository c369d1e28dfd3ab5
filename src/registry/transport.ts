/**
 * One HTTP exchange through the dispatcher factory: the signal really ends it (undici does not abort a
 * pending connect/TLS handshake, so the promise is raced against the signal), bodies are always consumed or
 * destroyed, HEAD keeps the connection alive (`reset: false`; undici closes it after every HEAD otherwise),
 * and a body limit stops reading instead of buffering whatever the server sends. Requests go to the
 * origin's own Pool from the dispatcher factory; an empty HEAD body is released with `dump()`.
 */
import type { DispatcherFactory } from './dispatcher-factory.ts';
import type { TlsMaterial } from './certs-d.ts';

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

/** Resolves like `p`, or rejects as soon as `signal` aborts; a late result is cleaned up by `onLate`. */
export function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined, onLate: (v: T) => void): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.then(onLate, () => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => settleRace(p, signal, onLate, resolve, reject));
}

// Module-level so that no named closure is created per request: tsx (esbuild `keepNames`) gives every named
// function expression a `name` property, which costs a dictionary per closure; thousands of requests wait here.
function settleRace<T>(p: Promise<T>, signal: AbortSignal, onLate: (v: T) => void, resolve: (v: T) => void, reject: (e: unknown) => void): void {
  const state = { settled: false };
  const onAbort = abortHandler(p, signal, onLate, reject, state);
  signal.addEventListener('abort', onAbort, { once: true });
  p.then(
    (v) => {
      signal.removeEventListener('abort', onAbort);
      if (state.settled) return onLate(v);
      state.settled = true;
      resolve(v);
    },
    (e) => {
      signal.removeEventListener('abort', onAbort);
      if (state.settled) return;
      state.settled = true;
      reject(e);
    },
  );
}

function abortHandler<T>(p: Promise<T>, signal: AbortSignal, onLate: (v: T) => void, reject: (e: unknown) => void, state: { settled: boolean }): () => void {
  return () => {
    if (state.settled) return;
    state.settled = true;
    p.then(onLate, () => {});
    reject(abortReason(signal));
  };
}

const EMPTY = Buffer.alloc(0);
const NO_HEADERS: Record<string, string> = {};

/** Performs one request. Network failures are thrown as undici/Node errors (see network-error.ts). */
export async function exchange(dispatchers: DispatcherFactory, req: HttpRequest): Promise<HttpResponse> {
  const [origin, path] = originAndPath(req.url);
  const dispatcher = dispatchers.get({ insecure: req.insecure, tls: req.tls ?? null }, origin);
  const head = req.method === 'HEAD';
  const pending = dispatcher.request({
    origin,
    path,
    method: req.method,
    headers: req.headers ?? NO_HEADERS,
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(head ? { reset: false } : {}),
  });
  const res = await raceSignal(pending, req.signal, (late) => {
    late.body.destroy();
  });
  if (head) {
    // A HEAD answer has no body: release it without an async iterator.
    try {
      await raceSignal(res.body.dump(), req.signal, () => {});
    } catch (err) {
      res.body.destroy();
      throw err;
    }
    return { status: res.statusCode, headers: res.headers, body: EMPTY, tooLarge: false };
  }
  const limit = req.maxBodyBytes ?? 1024 * 1024;
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  const read = (async () => {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      if (total + buf.length > limit) {
        chunks.push(buf.subarray(0, limit - total));
        total = limit;
        tooLarge = true;
        res.body.destroy(); // stop reading: never buffer an unbounded body
        break;
      }
      chunks.push(buf);
      total += buf.length;
    }
  })();
  try {
    await raceSignal(read, req.signal, () => {});
  } catch (err) {
    res.body.destroy();
    throw err;
  }
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks, total), tooLarge };
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
