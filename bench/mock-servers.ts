/**
 * Child process of bench/mock.ts: the servers under test, in their own process so the load client does not
 * share their event loop. Prints one JSON line with the ports, then serves until stdin closes.
 *  - mock: startMockRegistry (node:http fast path) with fault rules configured but inactive
 *  - msw:  the same handler served through msw handlers + getResponse()
 *  - bare: a node:http server answering the manifest HEAD with the same headers, nothing else
 */
import http from 'node:http';
import { once } from 'node:events';
import { startMockRegistry } from '../src/mock/start.ts';
import { createRegistryHandler } from '../src/mock/handler.ts';
import { createMswHandlers, serveMswHandlers } from '../src/mock/msw-handlers.ts';
import { createRealClock } from '../src/mock/clock.ts';
import { buildImage } from '../src/mock/image-builder.ts';
import { BENCH_IMAGE, BENCH_SPEC } from './mock-spec.ts';

const mock = await startMockRegistry(BENCH_SPEC);
const msw = await serveMswHandlers(createMswHandlers(createRegistryHandler(BENCH_SPEC, { clock: createRealClock(), seed: 1 })));

const top = buildImage(BENCH_IMAGE).top;
const headers = {
  'content-type': top.mediaType,
  'content-length': String(top.bytes.length),
  'docker-content-digest': top.digest,
  etag: `"${top.digest}"`,
  'docker-distribution-api-version': 'registry/2.0',
};
const path = `/v2/${BENCH_IMAGE.repository}/manifests/${BENCH_IMAGE.tags![0]}`;
const bare = http.createServer((req, res) => {
  if (req.url !== path) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : top.bytes);
});
bare.keepAliveTimeout = 65_000;
bare.listen(0, '127.0.0.1');
await once(bare, 'listening');

process.stdout.write(JSON.stringify({ mock: mock.port, msw: msw.port, bare: (bare.address() as { port: number }).port }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  const stats = mock.stats();
  process.stdout.write(JSON.stringify({ requests: stats.requests, faultsFired: stats.faults.reduce((a, f) => a + f.fired, 0) }) + '\n');
  bare.closeAllConnections();
  bare.close();
  await Promise.all([mock.close(), msw.close()]);
  process.exit(0);
});
