/**
 * One origin's keep-alive connections: undici Clients (one HTTP/1.1 connection each, no pipelining, as the
 * runtime's Go transport) handed out from a stack of idle ones, so a request costs O(1) however many
 * connections are open. undici's Pool looks for a free Client by scanning all of them, twice per request;
 * with thousands of pulls in flight that scan was a fifth of the load generator's CPU.
 *
 * A Client is handed out again as soon as its request ends (the handler is wrapped to see that): undici's
 * own 'drain' event comes only when the Client is next resumed, so a pull's manifest GET right after its
 * ping would otherwise open a second connection instead of reusing the first, as the runtime does.
 * Requests beyond `connections` wait in a FIFO queue and go to the next Client that frees up. A Client whose
 * connection failed is retired (as undici's Pool does since undici#3895), never handed out again.
 */
import type { Client as UndiciClient, Dispatcher, buildConnector } from 'undici';
import { Client, Dispatcher as DispatcherBase, errors } from './undici-core.ts';
import type { Socket } from 'node:net';
import { unwatchAbort, watchAbort } from './abort-watch.ts';

export interface ClientPoolOptions extends UndiciClient.Options {
  /** Max connections; default unlimited. */
  connections?: number | null;
}

/**
 * Dispatch options with pullpath's one addition: the request's `signal`. A request aborted while its Client is
 * still dialing (TCP connect or TLS handshake) has that dial destroyed at once: undici itself neither aborts a
 * queued request nor cuts a connect short (only its own connect timeout does, 10 s by default), so a blackholed
 * endpoint kept a socket, and the process, alive that long after the attempt's deadline.
 */
export type PoolDispatchOptions = Dispatcher.DispatchOptions & { signal?: AbortSignal };

interface Queued {
  opts: PoolDispatchOptions;
  handler: Dispatcher.DispatchHandler;
}

/** The reason a retired Client is destroyed with; nothing is pending on it, so no caller ever receives it. */
const RETIRED = new errors.ClientDestroyedError();
const kPool = Symbol('pullpath.pool');
const kRetired = Symbol('pullpath.retired');
const kBusy = Symbol('pullpath.busy');
const kDialing = Symbol('pullpath.dialing');
type PooledClient = UndiciClient & { [kPool]?: ClientPool; [kRetired]?: boolean; [kBusy]?: boolean; [kDialing]?: Socket | null };
type ConnectFn = buildConnector.connector;

export class ClientPool extends DispatcherBase {
  readonly #origin: URL;
  readonly #options: UndiciClient.Options;
  /** The connector (when given as a function): each Client dials through it, its pending socket kept in sight. */
  readonly #connect: ConnectFn | null;
  readonly #cap: number;
  #idle: PooledClient[] = [];
  readonly #clients = new Set<PooledClient>();
  #queue: Queued[] = [];
  #head = 0;
  #closed = false;

  constructor(origin: string, options: ClientPoolOptions = {}) {
    super();
    const { connections, ...clientOptions } = options;
    this.#origin = new URL(origin); // parsed once: each Client would otherwise parse and keep its own
    this.#options = clientOptions;
    this.#connect = typeof clientOptions.connect === 'function' ? (clientOptions.connect as ConnectFn) : null;
    this.#cap = connections && connections > 0 ? connections : Number.POSITIVE_INFINITY;
  }

  /** Connections open or opening (for tests and figures). */
  get size(): number {
    return this.#clients.size;
  }

  override dispatch(opts: PoolDispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#closed) {
      handler.onError?.(new errors.ClientClosedError());
      return false;
    }
    const client = this.#take();
    if (client === null) {
      this.#queue.push({ opts, handler });
      return false;
    }
    this.#send(client, opts, handler);
    return true;
  }

  #take(): PooledClient | null {
    while (this.#idle.length > 0) {
      const c = this.#idle.pop()!;
      if (!c[kRetired] && !c.closed && !c.destroyed) return c;
    }
    if (this.#clients.size >= this.#cap) return null;
    const c: PooledClient = new Client(this.#origin, this.#connect ? { ...this.#options, connect: dialer(this.#connect, () => c) } : this.#options);
    c[kPool] = this;
    c.on('connectionError', onConnectionError);
    this.#clients.add(c);
    return c;
  }

  #send(client: PooledClient, opts: PoolDispatchOptions, handler: Dispatcher.DispatchHandler): void {
    client[kBusy] = true;
    const wrapped = 'onRequestStart' in handler ? new ReleasingHandler(this, client, handler) : new ReleasingLegacyHandler(this, client, handler);
    if (opts.signal) wrapped.watch(opts.signal);
    client.dispatch(opts, wrapped as Dispatcher.DispatchHandler);
  }

  /** @internal a Client's request ended (completed or failed): it takes the next queued request or waits idle. */
  released(client: PooledClient): void {
    if (!client[kBusy]) return;
    client[kBusy] = false;
    if (client[kRetired] || client.closed || client.destroyed) return;
    if (!this.#sendNextQueued(client)) this.#idle.push(client);
  }

  /** @internal a Client's connection failed: it is not used again. */
  retire(client: PooledClient): void {
    client[kRetired] = true;
    this.#clients.delete(client);
    // A failed dial leaves nothing queued on the Client (undici errored its request): destroy it with one shared
    // error instead of close(), which ends in destroy() building a ClientDestroyedError (a stack trace) per
    // refused connection. A Client that still holds a request is closed, so that request is still served.
    if (client.stats.size === 0) void client.destroy(RETIRED).catch(() => {});
    else void client.close().catch(() => {});
    // A queued request now has one Client fewer to wait for: give it a new one if the cap allows.
    if (this.#head < this.#queue.length) {
      const c = this.#take();
      if (c) this.#sendNextQueued(c);
    }
  }

  /** Sends the oldest queued request on `client`; false when nothing is queued. */
  #sendNextQueued(client: PooledClient): boolean {
    if (this.#head >= this.#queue.length) return false;
    const next = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as unknown as Queued;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#send(client, next.opts, next.handler);
    return true;
  }

  #failQueued(err: Error): void {
    const queued = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    for (const q of queued) q.handler.onError?.(err);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.#closed = true;
    this.#failQueued(new errors.ClientClosedError());
    const all = Promise.all([...this.#clients].map((c) => c.close())).then(() => {});
    this.#clients.clear();
    this.#idle = [];
    if (callback) void all.then(callback, callback);
    else return all;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    const err = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
    const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
    this.#closed = true;
    this.#failQueued(err ?? new errors.ClientDestroyedError());
    // Client.destroy leaves a dial in progress to undici's connect timeout: end those here.
    for (const c of this.#clients) hangUp(c, err ?? new errors.ClientDestroyedError());
    const all = Promise.all([...this.#clients].map((c) => c.destroy(err))).then(() => {});
    this.#clients.clear();
    this.#idle = [];
    if (cb) void all.then(cb, cb);
    else return all;
  }
}

/**
 * A Client's connector: dials through `base` and keeps the pending socket on the Client until the dial ends,
 * so an abandoned request or a destroyed pool can end it (see PoolDispatchOptions).
 */
function dialer(base: ConnectFn, client: () => PooledClient): ConnectFn {
  return (opts, callback) => {
    const c = client();
    const socket = base(opts, (err, sock) => {
      if (c[kDialing] === socket) c[kDialing] = null;
      callback(err, sock as never);
    }) as unknown as Socket;
    // A connector may answer synchronously (an error): only a dial still pending is tracked.
    if (socket && !socket.destroyed) c[kDialing] = socket;
    return socket as never;
  };
}

/** Destroys `client`'s dial in progress, if any. The connector then fails the dial with `err`. */
function hangUp(client: PooledClient, err: Error): void {
  const socket = client[kDialing];
  if (!socket) return;
  client[kDialing] = null;
  socket.destroy(err); // with an error: the connector answers its callback on 'error' only
}

function releaseClient(pool: ClientPool, client: PooledClient): void {
  pool.released(client);
}

// A module-level listener (one function for every Client): the pool is found on the Client itself.
function onConnectionError(this: PooledClient): void {
  this[kPool]?.retire(this);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a pass-through: argument types are undici's own
type Legacy = Record<string, ((...args: any[]) => unknown) | undefined>;

/** Wraps a request's handler: passes every callback through, and hands the Client back once the request ends. */
abstract class Releasing {
  #done = false;
  #signal: AbortSignal | null = null;
  constructor(
    readonly pool: ClientPool,
    readonly client: PooledClient,
    readonly inner: Dispatcher.DispatchHandler,
  ) {}
  /** Ends the Client's dial if `signal` aborts before the request ends (this object is the listener: no closure). */
  watch(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#signal = signal;
    watchAbort(signal, this);
  }
  /** The request's signal aborted: a dial still pending for it is destroyed now, not at undici's connect timeout. */
  handleEvent(): void {
    this.#signal = null;
    if (this.#done) return;
    hangUp(this.client, new errors.ConnectTimeoutError('Connect aborted: the request was abandoned at its deadline'));
  }
  protected release(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#signal) unwatchAbort(this.#signal, this);
    this.#signal = null;
    // After undici has finished with this request: dispatching from inside its callback re-enters the Client
    // (a failed connect errors the whole queue, then asserts it is empty).
    process.nextTick(releaseClient, this.pool, this.client);
  }
}

/** undici's classic handler interface (onConnect … onComplete / onError). */
class ReleasingLegacyHandler extends Releasing {
  onConnect(abort: (err?: Error) => void, context?: object): void {
    return (this.inner as unknown as Legacy).onConnect?.(abort, context) as void;
  }
  onResponseStarted(): void {
    (this.inner as unknown as Legacy).onResponseStarted?.();
  }
  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    return (this.inner as unknown as Legacy).onHeaders?.(statusCode, headers, resume, statusText) as boolean;
  }
  onData(chunk: Buffer): boolean {
    return (this.inner as unknown as Legacy).onData?.(chunk) as boolean;
  }
  onBodySent(chunk: unknown): void {
    (this.inner as unknown as Legacy).onBodySent?.(chunk);
  }
  onRequestSent(): void {
    (this.inner as unknown as Legacy).onRequestSent?.();
  }
  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: unknown): void {
    this.release();
    (this.inner as unknown as Legacy).onUpgrade?.(statusCode, headers, socket);
  }
  onComplete(trailers: string[] | null): void {
    try {
      (this.inner as unknown as Legacy).onComplete?.(trailers);
    } finally {
      this.release();
    }
  }
  onError(err: Error): void {
    try {
      (this.inner as unknown as Legacy).onError?.(err);
    } finally {
      this.release();
    }
  }
}

/** undici's newer handler interface (onRequestStart … onResponseEnd / onResponseError). */
class ReleasingHandler extends Releasing {
  onRequestStart(controller: unknown, context: unknown): void {
    (this.inner as unknown as Legacy).onRequestStart?.(controller, context);
  }
  onRequestUpgrade(controller: unknown, statusCode: number, headers: unknown, socket: unknown): void {
    this.release();
    (this.inner as unknown as Legacy).onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(controller: unknown, statusCode: number, headers: unknown, statusMessage?: string): void {
    (this.inner as unknown as Legacy).onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: unknown, chunk: Buffer): void {
    (this.inner as unknown as Legacy).onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: unknown, trailers: unknown): void {
    try {
      (this.inner as unknown as Legacy).onResponseEnd?.(controller, trailers);
    } finally {
      this.release();
    }
  }
  onResponseError(controller: unknown, err: Error): void {
    try {
      (this.inner as unknown as Legacy).onResponseError?.(controller, err);
    } finally {
      this.release();
    }
  }
}
