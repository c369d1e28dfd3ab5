/**
 * The mock's routes as msw request handlers (from the same ROUTES table as the fast path), and a node:http
 * adapter that serves them on a real socket through msw's `getResponse()`.
 *
 * Use: unit tests that run code over global `fetch`/`node:http` with `setupServer(...createMswHandlers(h))`,
 * and `bench/mock.ts`, which measures this path against the node:http fast path (`serveRegistry`). The running
 * mock uses the fast path: see the figures in the report of bench/mock.ts. msw is a devDependency, so nothing
 * on the CLI's import path may import this file (src/mock/index.ts does not).
 *
 * Socket faults map onto msw where it can express them: delay → `delay(ms)`, blackhole → `delay('infinite')`,
 * reset → `HttpResponse.error()` (a network error), wrong-digest → changed bytes. Truncation and pacing need
 * the socket and are only carried out by the fast path.
 */
import http from 'node:http';
import { once } from 'node:events';
import { http as mswHttp, HttpResponse, delay, getResponse, type HttpHandler } from 'msw';
import type { RegistryHandler } from './handler.ts';
import { ROUTES } from './routes.ts';
import type { MockRequest, MockResponse } from './http-types.ts';

function toMockRequest(request: Request): MockRequest {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  return { method: request.method, path: url.pathname, query: url.search.slice(1), headers, scheme: url.protocol === 'https:' ? 'https' : 'http' };
}

function bodyBytes(body: MockResponse['body'], corrupt: boolean): Uint8Array | undefined {
  if (body === undefined) return undefined;
  const bytes = Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.concat([...body.blob.chunks(body.start, body.end)]);
  if (corrupt && bytes.length > 0) bytes[0] = bytes[0]! ^ 0xff;
  return bytes;
}

/** msw handlers for every route of ROUTES (any origin), answering through `handler`. */
export function createMswHandlers(handler: RegistryHandler): HttpHandler[] {
  const resolver = async ({ request }: { request: Request }) => {
    const { response, plan } = handler.handle(toMockRequest(request));
    if (plan.blackhole) await delay('infinite');
    if (plan.reset !== undefined || plan.raw !== undefined) return HttpResponse.error(); // msw cannot write raw bytes
    if (plan.delayMs > 0) await delay(plan.delayMs);
    return new HttpResponse(bodyBytes(response.body, plan.corrupt) ?? null, { status: response.status, headers: response.headers });
  };
  const out: HttpHandler[] = [];
  for (const route of ROUTES) {
    for (const method of route.methods) {
      const path = `*${route.pattern}`;
      out.push(method === 'HEAD' ? mswHttp.head(path, resolver) : mswHttp.get(path, resolver));
    }
  }
  // Last: everything else goes to the handler too, which answers as distribution's router and counts it as unmatched.
  out.push(mswHttp.all('*', resolver));
  return out;
}

/** Serve msw handlers on 127.0.0.1 (port 0) through `getResponse()`; unmatched requests get the router's 404. */
export async function serveMswHandlers(handlers: HttpHandler[], port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers });
      const response = await getResponse(handlers, request);
      if (response === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
        return;
      }
      if (response.type === 'error') {
        req.socket.resetAndDestroy();
        return;
      }
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => (out[k] = v));
      res.writeHead(response.status, out);
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
