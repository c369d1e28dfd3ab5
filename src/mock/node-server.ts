/**
 * The thin socket adapter: a node:http (or https) server on loopback that feeds each request to a
 * RegistryHandler and carries out the fault plan on the real socket (delay, blackhole, reset, truncation,
 * pacing, corrupted bytes). `refuse` windows close the listener (connections refused) and reopen it on the
 * same port. The common path (no fault) is synchronous: handle → writeHead → end.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import type { RegistryHandler } from './handler.ts';
import { splitPath } from './handler.ts';
import type { FaultPlan, MockResponse } from './http-types.ts';
import type { MockClock } from './clock.ts';

export interface ServeOptions {
  /** Address to bind. Default 127.0.0.1. */
  bindHost?: string;
  /** Default 0: any free port. */
  port?: number;
  tls?: { certPem: string; keyPem: string };
  clock: MockClock;
  /** Never listen (the registry is declared down); the port is reserved once, then released. */
  down?: boolean;
}

export interface ServedRegistry {
  port: number;
  /** True while the listener is open. */
  listening(): boolean;
  /** Re-read the refuse windows from the handler's rules (after `setFaults`). */
  rescheduleRefuse(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function writeBody(res: http.ServerResponse, body: NonNullable<MockResponse['body']>, plan: FaultPlan): Promise<void> {
  const chunks: Iterable<Buffer> = Buffer.isBuffer(body) ? [body] : body.blob.chunks(body.start, body.end);
  const limit = plan.truncateAfter ?? plan.reset?.afterBytes ?? Infinity;
  const bps = plan.bytesPerSecond;
  let sent = 0;
  let corrupt = plan.corrupt;
  for (let c of chunks) {
    if (res.destroyed) return;
    if (corrupt && c.length > 0) {
      c = Buffer.from(c); // chunks are shared with other responses: change a copy
      c[0] = c[0]! ^ 0xff;
      corrupt = false;
    }
    if (sent + c.length > limit) c = c.subarray(0, limit - sent);
    if (bps !== undefined) {
      // ~20 writes a second, each followed by the time that many bytes take at the configured rate.
      const piece = Math.max(1, Math.floor(bps / 20));
      for (let off = 0; off < c.length; off += piece) {
        if (res.destroyed) return;
        const part = c.subarray(off, off + piece);
        res.write(part);
        await sleep((part.length / bps) * 1000);
      }
    } else if (!res.write(c)) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    sent += c.length;
    if (sent >= limit) break;
  }
}

/**
 * Send a TCP RST. A TLS socket's own handle cannot be reset; its TCP parent (`_parent`, a Node internal)
 * can. When neither works, fall back to a plain close.
 */
function resetSocket(socket: Socket): void {
  const tcp = (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

async function respond(req: http.IncomingMessage, res: http.ServerResponse, response: MockResponse, plan: FaultPlan): Promise<void> {
  if (plan.delayMs > 0) {
    await sleep(plan.delayMs);
    if (res.destroyed) return;
  }
  res.writeHead(response.status, response.headers);
  const cut = plan.truncateAfter !== undefined || plan.reset !== undefined;
  if (response.body !== undefined && req.method !== 'HEAD') {
    await writeBody(res, response.body, plan);
  }
  if (!cut) {
    res.end();
    return;
  }
  res.flushHeaders();
  const socket = req.socket;
  // Let what was written reach the client, then close: cleanly for truncate (FIN), abruptly for reset (RST).
  // (An empty write's callback runs once everything before it is flushed; 'drain' only follows a full buffer.)
  await new Promise<void>((r) => socket.write(Buffer.alloc(0), () => r()));
  // The reset waits a moment: an RST that lands before the client has read the bytes makes Linux report a
  // plain end of stream instead of ECONNRESET (seen with client and server in one process).
  if (plan.reset !== undefined) setTimeout(() => resetSocket(socket), 20);
  else socket.destroySoon();
}

/** Serve a registry handler on a real socket. */
export async function serveRegistry(handler: RegistryHandler, opts: ServeOptions): Promise<ServedRegistry> {
  const bindHost = opts.bindHost ?? '127.0.0.1';
  const scheme = opts.tls !== undefined ? 'https' : 'http';
  const sockets = new Set<Socket>();

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const [path, query] = splitPath(req.url ?? '/');
    const { response, plan } = handler.handle({ method: req.method ?? 'GET', path, query, headers: req.headers, scheme });
    if (plan.blackhole) return; // hold the request; close() destroys the socket
    if (plan.raw !== undefined) {
      req.socket.end(plan.raw); // not HTTP at all (tls-bytes)
      return;
    }
    if (plan.reset !== undefined && plan.reset.afterBytes === undefined) {
      resetSocket(req.socket);
      return;
    }
    const simple = plan.delayMs === 0 && plan.truncateAfter === undefined && plan.reset === undefined && plan.bytesPerSecond === undefined && !plan.corrupt;
    if (simple && (response.body === undefined || Buffer.isBuffer(response.body))) {
      res.writeHead(response.status, response.headers);
      res.end(req.method === 'HEAD' ? undefined : response.body);
      return;
    }
    respond(req, res, response, plan).catch(() => res.destroy());
  };

  const server = opts.tls !== undefined ? https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, onRequest) : http.createServer(onRequest);
  server.keepAliveTimeout = 65_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Answer garbage (e.g. a TLS ClientHello sent to a plain-HTTP mock) as real HTTP servers do (Go's net/http,
  // Node's default handler): a 400. A TLS client reading it reports "server gave HTTP response to HTTPS client",
  // the message users of an HTTP-only mirror must see; destroying the socket would show a reset instead.
  server.on('clientError', (err: NodeJS.ErrnoException, s: Socket) => {
    if (s.writable && err.code !== 'ECONNRESET') s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else s.destroy();
  });

  let isListening = false;
  let closed = false;
  let refusing = 0;
  const listen = async (port: number) => {
    server.listen(port, bindHost);
    await once(server, 'listening');
    isListening = true;
    if (refusing > 0 || closed) stopListening(); // a refuse window began while the listener was reopening
  };
  const stopListening = () => {
    if (!isListening) return;
    isListening = false;
    server.close();
    for (const s of sockets) s.destroy();
  };

  await listen(opts.port ?? 0);
  const port = (server.address() as { port: number }).port;
  if (opts.down) stopListening();

  let cancels: Array<() => void> = [];
  const scheduleRefuse = () => {
    for (const c of cancels) c();
    cancels = [];
    refusing = 0;
    if (opts.down || closed) return;
    const now = opts.clock.nowMs();
    for (const w of handler.faults().refuseWindows()) {
      if (w.toMs <= now) continue;
      const begin = () => {
        refusing++;
        handler.faults().noteFired(w.index);
        stopListening();
      };
      if (w.fromMs <= now) begin();
      else cancels.push(opts.clock.at(w.fromMs, () => !closed && begin()));
      cancels.push(
        opts.clock.at(w.toMs, () => {
          if (closed) return;
          refusing = Math.max(0, refusing - 1);
          if (refusing === 0 && !isListening) listen(port).catch(() => {});
        }),
      );
    }
    if (refusing === 0 && !isListening) listen(port).catch(() => {});
  };
  scheduleRefuse();

  return {
    port,
    listening: () => isListening,
    rescheduleRefuse: scheduleRefuse,
    async close() {
      closed = true;
      for (const c of cancels) c();
      const wasListening = isListening;
      stopListening();
      if (wasListening) await once(server, 'close');
    },
  };
}
