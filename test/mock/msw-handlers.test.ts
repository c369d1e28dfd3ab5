import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createRegistryHandler } from '../../src/mock/handler.ts';
import { createMswHandlers, serveMswHandlers } from '../../src/mock/msw-handlers.ts';
import { serveRegistry } from '../../src/mock/node-server.ts';
import { createManualClock } from '../../src/mock/clock.ts';
import { buildImage } from '../../src/mock/image-builder.ts';
import type { MockRegistrySpec } from '../../src/mock/spec.ts';
import { createClient, ACCEPT_ALL, type Reply } from './client.ts';

const APP = { repository: 'org/app', tags: ['1.4'], layers: [5000] };
const spec: MockRegistrySpec = { host: 'm.example.com', images: [APP], faults: [{ kind: 'status', status: 503, repository: 'org/down' }] };
const layer = buildImage(APP).blobs[1]!;

// The same requests through both adapters: msw handlers over getResponse(), and the node:http fast path.
const cases: Array<[string, string, 'GET' | 'HEAD', Record<string, string>]> = [
  ['ping', '/v2/', 'GET', {}],
  ['manifest by tag', '/v2/org/app/manifests/1.4', 'GET', { accept: ACCEPT_ALL }],
  ['manifest HEAD', '/v2/org/app/manifests/1.4', 'HEAD', { accept: ACCEPT_ALL }],
  ['manifest without OCI in Accept', '/v2/org/app/manifests/1.4', 'GET', { accept: 'application/vnd.docker.distribution.manifest.v2+json' }],
  ['unknown tag', '/v2/org/app/manifests/nope', 'GET', { accept: ACCEPT_ALL }],
  ['blob range', `/v2/org/app/blobs/${layer.digest}`, 'GET', { range: 'bytes=10-19' }],
  ['fault rule', '/v2/org/down/manifests/1', 'GET', {}],
  ['unmatched', '/v1/_ping', 'GET', {}],
];

const client = createClient();
let msw: { port: number; close(): Promise<void> };
let fast: { port: number; close(): Promise<void> };
beforeAll(async () => {
  const clock = createManualClock();
  msw = await serveMswHandlers(createMswHandlers(createRegistryHandler(spec, { clock, seed: 1 })));
  fast = await serveRegistry(createRegistryHandler(spec, { clock, seed: 1 }), { clock });
});
afterAll(async () => {
  await client.close();
  await msw.close();
  await fast.close();
});

const strip = (r: Reply) => {
  const { date: _d, connection: _c, 'keep-alive': _k, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body.toString('base64') };
};

describe('msw handlers and the node:http fast path share one route definition', () => {
  it.each(cases)('answer alike: %s', async (_name, path, method, headers) => {
    const a = await client.fetch(`http://127.0.0.1:${msw.port}${path}`, { method, headers });
    const b = await client.fetch(`http://127.0.0.1:${fast.port}${path}`, { method, headers });
    expect(strip(a)).toEqual(strip(b));
    expect(a.status).toBeGreaterThan(0);
  });
});
