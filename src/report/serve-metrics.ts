/**
 * Serves a prom-client registry's text at `/metrics` (for `load --metrics-port`). Binds 127.0.0.1 unless
 * told otherwise: the metrics name the endpoints, so exposing them beyond the host (a pod's IP, for
 * Prometheus) is a decision the user makes with `--metrics-host`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PullpathError } from '../errors.ts';

export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface ServedMetrics {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(source: MetricsSource, port: number, host: string, name: string): Promise<ServedMetrics> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      source.text().then(
        (body) => {
          res.writeHead(200, { 'content-type': source.contentType });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`pullpath ${name}: metrics are at /metrics\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new PullpathError('PP_ERR_METRICS_LISTEN', `cannot serve metrics on ${host}:${port}: ${err.code ?? err.message} (choose another --metrics-port)`)),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/metrics`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
