/**
 * What going through a proxy costs per pull: a fresh registry client per pull (new connections, as the runtime
 * opens one client per image source), ping + manifest GET of a tiny image on docker-registry, TLS and plain HTTP,
 * direct (--connect-to style host map) against through squid (CONNECT for TLS, absolute-form for plain HTTP).
 * Direct runs are the anchor, measured in the same run, interleaved. Asserts nothing.
 * Run: npx tsx bench/proxy-overhead.ts   (RUNS=200 to change the sample size). Needs docker-registry and squid.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockCa, createServerCert } from '../src/mock/tls.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { HostMap } from '../src/registry/host-map.ts';
import { proxyConfigFromEnv } from '../src/proxy/proxy-for-url.ts';
import { dockerRegistrySkipReason, pushImage, startDockerRegistry, tinyImage } from '../test/helpers/docker-registry.ts';
import { squidSkipReason, startSquid } from '../test/helpers/squid.ts';

const RUNS = Number(process.env.RUNS ?? 100);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const skip = dockerRegistrySkipReason() ?? squidSkipReason();
if (skip) {
  console.log(`proxy overhead: skipped (${skip})`);
  process.exit(0);
}
const work = await mkdtemp(join(tmpdir(), 'pp-bench-proxy-'));
const ca = await createMockCa();
await mkdir(join(work, 'ca'));
await writeFile(join(work, 'ca', 'ca.crt'), ca.certPem);
const cert = await createServerCert(ca, ['registry.test']);
const [tlsReg, plainReg, squid] = await Promise.all([startDockerRegistry({ tls: cert }), startDockerRegistry(), startSquid({ hosts: ['registry.test', 'plain.test'] })]);
const img = tinyImage('bench');
await Promise.all([pushImage(tlsReg.url, 'lib/hello', 'v1', img), pushImage(plainReg.url, 'lib/hello', 'v1', img)]);

type Mode = { name: string; host: string; insecure: boolean; proxied: boolean };
const modes: Mode[] = [
  { name: 'TLS direct (anchor)', host: `registry.test:${tlsReg.port}`, insecure: false, proxied: false },
  { name: 'TLS via squid CONNECT', host: `registry.test:${tlsReg.port}`, insecure: false, proxied: true },
  { name: 'plain direct (anchor)', host: `plain.test:${plainReg.port}`, insecure: true, proxied: false },
  { name: 'plain via squid', host: `plain.test:${plainReg.port}`, insecure: true, proxied: true },
];
const hostMap = HostMap.parse([`registry.test:127.0.0.1:${tlsReg.port}`, `plain.test:127.0.0.1:${plainReg.port}`]);
const proxy = proxyConfigFromEnv({ HTTPS_PROXY: squid.url, HTTP_PROXY: squid.url });

async function onePull(m: Mode): Promise<number> {
  const dispatchers = createDispatcherFactory(m.proxied ? { proxy, hostMap: new HostMap() } : { hostMap });
  const client = createRegistryClient({ dispatchers, certs: { certDir: join(work, 'ca') } });
  const t0 = performance.now();
  const session = await client.ping(m.host, { insecure: m.insecure, repository: 'lib/hello' });
  const r = await client.getManifest(session, 'lib/hello', 'v1');
  const ms = performance.now() - t0;
  if (r.digest !== img.digest) throw new Error(`${m.name}: wrong digest`);
  await client.close();
  await dispatchers.close();
  return ms;
}

const samples = new Map<string, number[]>(modes.map((m) => [m.name, []]));
for (const m of modes) await onePull(m); // warm-up (JIT, squid helpers)
for (let i = 0; i < RUNS; i++) for (const m of modes) samples.get(m.name)!.push(await onePull(m));
console.log(`proxy overhead per pull (ping + manifest, fresh connections), ${RUNS} runs each, interleaved:`);
for (const m of modes) {
  const s = samples.get(m.name)!;
  console.log(`  ${m.name.padEnd(24)} p50 ${pct(s, 50).toFixed(2)} ms   p90 ${pct(s, 90).toFixed(2)} ms`);
}
const d = (a: string, b: string) => (pct(samples.get(b)!, 50) - pct(samples.get(a)!, 50)).toFixed(2);
console.log(`  added by the proxy (p50): TLS ${d('TLS direct (anchor)', 'TLS via squid CONNECT')} ms, plain ${d('plain direct (anchor)', 'plain via squid')} ms`);
await Promise.all([tlsReg.stop(), plainReg.stop(), squid.stop()]);
await rm(work, { recursive: true, force: true });
