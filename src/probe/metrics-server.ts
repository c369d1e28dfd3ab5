/**
 * Serves `/metrics` for Prometheus to scrape (`probe --watch`, `load --metrics-port`), and `/healthz` and
 * `/readyz` for the kubelet. Binds 127.0.0.1 unless told otherwise: the metrics name internal mirrors, so
 * exposing them beyond the host is a decision the user makes with `--metrics-host`.
 *
 * /healthz (liveness) says whether the process still does its job (the probe loop finished a pass recently):
 * a failing liveness probe restarts the container, so it must never depend on the registries being up.
 * /readyz (readiness) says whether /metrics holds results yet (the first pass is done): until then a scrape
 * would only show `unknown`. Both answer 200 or 503 with the reason as text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSource } from './probe-metrics.ts';
import { PullpathError } from '../errors.ts';

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Check {
  ok: boolean;
  reason: string;
}

export interface HealthChecks {
  live(): Check;
  ready(): Check;
}

const ALWAYS: HealthChecks = { live: () => ({ ok: true, reason: 'serving' }), ready: () => ({ ok: true, reason: 'serving' }) };

export async function startMetricsServer(metrics: MetricsSource, port: number, host = '127.0.0.1', checks: HealthChecks = ALWAYS): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && path === '/metrics') {
      metrics.text().then(
        (body) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
      return;
    }
    if (get && (path === '/healthz' || path === '/readyz')) {
      const c = path === '/healthz' ? checks.live() : checks.ready();
      res.writeHead(c.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${c.ok ? 'ok' : 'not ok'}: ${c.reason}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('pullpath: metrics are at /metrics, liveness at /healthz, readiness at /readyz\n');
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
