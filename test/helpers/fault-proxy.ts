/**
 * A loopback HTTP server that records every request (method, path with query, selected headers) and either
 * forwards it to a real registry (`upstream`), or answers every request with one fixed status (a mirror that
 * fails with 500, or rate-limits with 429, or knows nothing: 404). It is the oracle's eye: the same log is kept
 * for `ctr` and for pullpath, so their attempts can be compared request by request.
 *
 * @example
 * const p = await startFaultProxy({ upstream: reg.url });   // a serving mirror
 * const dead = await startFaultProxy({ status: 500 });       // a broken one
 * ...; p.requests → [{ method: 'HEAD', path: '/v2/lib/hello/manifests/v1?ns=…' }]
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

export interface LoggedRequest {
  /** The proxy's name (FaultProxyOptions.name). */
  proxy: string;
  method: string;
  /** Path and query as received. */
  path: string;
  accept: string | null;
  authorization: boolean;
  /** Header names the client sent (lower case), for header checks. */
  headers: Record<string, string | string[] | undefined>;
}

export interface FaultProxyOptions {
  /** Forward to this registry (`http://127.0.0.1:PORT`). */
  upstream?: string;
  /** Answer every request with this status (with a registry-style JSON error body). */
  status?: number;
  /** Answer with this status when it returns one, else forward (a mirror that resolves but fails to serve). */
  faultWhen?: (method: string, path: string) => number | null;
  /** Strip this path prefix before forwarding (a pull-through cache under `/cache/v2/…`); other paths answer 404. */
  stripPrefix?: string;
  /** Name in the log. */
  name?: string;
  /** A log shared by several proxies, so the order of requests across hosts is kept. */
  log?: LoggedRequest[];
  /** Serve HTTPS with this certificate (the upstream is still dialled over plain HTTP). */
  tls?: { certPem: string; keyPem: string };
}

export interface FaultProxy {
  port: number;
  addr: string;
  requests: LoggedRequest[];
  clear(): void;
  stop(): Promise<void>;
}

const STATUS_BODIES: Record<number, { code: string; message: string }> = {
  404: { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' },
  429: { code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' },
  500: { code: 'UNKNOWN', message: 'internal server error' },
};

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const requests: LoggedRequest[] = opts.log ?? [];
  const name = opts.name ?? '';
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ proxy: name, method: req.method ?? '', path: req.url ?? '', accept: req.headers.accept ?? null, authorization: req.headers.authorization !== undefined, headers: { ...req.headers } });
    let path = req.url ?? '/';
    let status = opts.status ?? opts.faultWhen?.(req.method ?? '', path) ?? null;
    if (status === null && opts.stripPrefix) {
      if (path.startsWith(opts.stripPrefix + '/')) path = path.slice(opts.stripPrefix.length);
      else status = 404;
    }
    if (status !== null) {
      const b = STATUS_BODIES[status] ?? { code: 'UNKNOWN', message: 'error' };
      const body = JSON.stringify({ errors: [{ code: b.code, message: b.message }] });
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'docker-distribution-api-version': 'registry/2.0' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const up = new URL(opts.upstream!);
    const headers = { ...req.headers, host: up.host };
    const fwd = httpRequest({ host: up.hostname, port: up.port, method: req.method, path, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    fwd.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(fwd);
  };
  const server = opts.tls ? createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, handler) : createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    addr: `127.0.0.1:${port}`,
    requests,
    clear: () => void requests.splice(0),  // with a shared log: clears every proxy's entries
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
