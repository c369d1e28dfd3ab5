import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../src/registry/client-pool.ts';
import { buildConnector } from 'undici';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const pools: ClientPool[] = [];

async function serve(handler: Handler): Promise<{ origin: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (s) => sockets.add(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

function pool(origin: string, connections?: number): ClientPool {
  const p = new ClientPool(origin, connections === undefined ? {} : { connections });
  pools.push(p);
  return p;
}

async function get(p: ClientPool, path: string): Promise<{ status: number; body: string }> {
  const res = await p.request({ path, method: 'GET' });
  return { status: res.statusCode, body: await res.body.text() };
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('ClientPool', () => {
  it('reuses the idle connection for sequential requests (keep-alive, one socket)', async () => {
    const { origin, sockets } = await serve((_req, res) => res.end('ok'));
    const p = pool(origin);
    for (let i = 0; i < 5; i++) expect((await get(p, '/v2/')).body).toBe('ok');
    expect(sockets.size).toBe(1);
    expect(p.size).toBe(1);
  });

  it('opens one connection per concurrent request when uncapped (no pipelining, as the runtime)', async () => {
    const waiting: ServerResponse[] = [];
    const { origin, sockets } = await serve((_req, res) => {
      waiting.push(res);
      if (waiting.length === 6) for (const w of waiting.splice(0)) w.end('late');
    });
    const p = pool(origin);
    const all = await Promise.all(Array.from({ length: 6 }, () => get(p, '/slow')));
    expect(all.map((r) => r.body)).toEqual(Array(6).fill('late'));
    expect(sockets.size).toBe(6);
  });

  it('queues requests beyond the cap in order and sends each on the next connection that frees up', async () => {
    const order: string[] = [];
    const held: ServerResponse[] = [];
    const { origin, sockets } = await serve((req, res) => {
      order.push(req.url!);
      if (req.url === '/a' || req.url === '/b') held.push(res);
      else res.end(req.url);
    });
    const p = pool(origin, 2);
    const a = get(p, '/a');
    const b = get(p, '/b');
    const c = get(p, '/c');
    const d = get(p, '/d');
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['/a', '/b']); // c and d wait: both connections are busy
    held.shift()!.end('/a');
    held.shift()!.end('/b');
    expect((await Promise.all([a, b, c, d])).map((r) => r.body)).toEqual(['/a', '/b', '/c', '/d']);
    expect(order).toEqual(['/a', '/b', '/c', '/d']);
    expect(sockets.size).toBe(2);
  });

  it('retires a client whose connection failed, and a queued request still gets a connection', async () => {
    let first = true;
    const { origin } = await serve((req, res) => res.end(req.url));
    const p = new ClientPool(origin, {
      connections: 1,
      // The first dial fails, later ones succeed: the failed client must not be handed out again.
      connect: (opts, cb) => {
        if (first) {
          first = false;
          setImmediate(() => cb(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), null));
          return;
        }
        void import('node:net').then(({ connect }) => {
          const s = connect(Number(opts.port), opts.hostname);
          s.once('connect', () => cb(null, s));
          s.once('error', (e) => cb(e, null));
        });
      },
    });
    pools.push(p);
    const failed = get(p, '/one');
    const queued = get(p, '/two');
    await expect(failed).rejects.toThrow(/ECONNREFUSED/);
    expect((await queued).body).toBe('/two');
    expect(p.size).toBe(1);
  });

  it('answers every request to a refused origin with the connect error, never the reason a retired client is destroyed with', async () => {
    const { createServer: netServer } = await import('node:net');
    const probe = netServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r)); // nothing listens there now: connection refused
    const p = pool(`http://127.0.0.1:${port}`, 2);
    // Two dial at once, three wait in the queue and each gets a new client after a retirement.
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => get(p, `/${i}`)));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'ECONNREFUSED' });
    }
    // A later request still dials (a retired client is never handed out again).
    await expect(get(p, '/later')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setImmediate(r));
    expect(p.size).toBe(0);
  });

  it('close() fails queued requests with ClientClosedError and refuses new ones', async () => {
    const held: ServerResponse[] = [];
    const { origin } = await serve((_req, res) => held.push(res));
    const p = pool(origin, 1);
    const running = get(p, '/a');
    const queued = get(p, '/b');
    await new Promise((r) => setTimeout(r, 30));
    const closing = p.close();
    await expect(queued).rejects.toThrow(/closed/i);
    held.shift()!.end('a');
    expect((await running).body).toBe('a'); // in flight: allowed to finish
    await closing;
    await expect(get(p, '/c')).rejects.toThrow(/closed/i);
  });

  it('destroy() ends requests in flight', async () => {
    const { origin } = await serve(() => {
      /* never answers */
    });
    const p = pool(origin);
    const pending = get(p, '/hang');
    await new Promise((r) => setTimeout(r, 30));
    await p.destroy();
    await expect(pending).rejects.toThrow();
  });
});

describe('ClientPool: dials cut short', () => {
  // A TLS listener that accepts TCP and never answers the ClientHello: the dial stays in the handshake.
  async function tlsHang(): Promise<{ origin: string; closed: Promise<void> }> {
    const { createServer: createNetServer } = await import('node:net');
    let onClose!: () => void;
    const closed = new Promise<void>((r) => (onClose = r));
    const server = createNetServer((s) => {
      s.on('error', () => {});
      s.on('close', onClose);
      s.resume(); // read (and drop) the ClientHello, so the client's FIN is seen
    });
    servers.push(server as unknown as Server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, closed };
  }

  it('destroys the pending handshake when the request signal aborts (not at the 10 s connect timeout)', async () => {
    const { origin, closed } = await tlsHang();
    const p = new ClientPool(origin, { connect: buildConnector({ rejectUnauthorized: false, timeout: 10_000 }) });
    pools.push(p);
    const ac = new AbortController();
    const failed = new Promise<Error>((resolve) =>
      p.dispatch({ origin, path: '/v2/', method: 'GET', signal: ac.signal } as never, {
        onConnect() {},
        onHeaders: () => true,
        onData: () => true,
        onComplete() {},
        onError: resolve,
      } as never),
    );
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    ac.abort();
    await closed; // the server sees the socket go
    expect(performance.now() - t0).toBeLessThan(2000);
    expect((await failed).message).toMatch(/abandoned|abort/i);
  });

  it('destroy() ends a dial in progress', async () => {
    const { origin, closed } = await tlsHang();
    const p = new ClientPool(origin, { connect: buildConnector({ rejectUnauthorized: false, timeout: 10_000 }) });
    p.dispatch({ origin, path: '/v2/', method: 'GET' }, { onConnect() {}, onHeaders: () => true, onData: () => true, onComplete() {}, onError() {} } as never);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await p.destroy();
    await closed;
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
