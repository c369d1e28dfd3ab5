/**
 * The pull engine on loopback: per-image latency of `pullOne` for the skopeo anchor cases (direct; mirror 1
 * refused then mirror 2; mirror 1 404 then mirror 2) against docker-registry, and manifest-HEAD throughput of
 * the client (which sends `reset: false`) against undici's default HEAD behaviour, on an in-process node:http
 * registry stub. Prints figures beside a baseline measured in the same run; asserts nothing.
 * Run: npx tsx bench/pull-engine.ts   (RUNS=200 DUR=3 to change the sample sizes)
 */
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage } from '../test/helpers/docker-registry.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { loadRegistriesConf } from '../src/config/load-files.ts';
import { compileConfig, resolveArg } from '../src/resolve/index.ts';
import { pullOne } from '../src/pull/pull-one.ts';

const RUNS = Number(process.env.RUNS ?? 100);
const DUR = Number(process.env.DUR ?? 3);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const f = (n: number) => n.toFixed(2);

async function failoverLatency(): Promise<void> {
  const skip = dockerRegistrySkipReason();
  if (skip) {
    console.log(`failover latency: skipped (${skip})`);
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'pp-bench-'));
  const [ok, empty] = await Promise.all([startDockerRegistry(), startDockerRegistry()]);
  const dead = `127.0.0.1:${await freePort()}`;
  const primary = `127.0.0.1:${await freePort()}`;
  await pushImage(ok.url, 'lib/hello', 'v1', tinyImage());
  const cases: [string, string, string][] = [
    ['(a) direct', '', `docker://${ok.addr}/lib/hello:v1`],
    ['(b) mirror 1 refused, mirror 2 ok', `[[registry]]\nlocation = "${primary}"\n[[registry.mirror]]\nlocation = "${dead}"\n[[registry.mirror]]\nlocation = "${ok.addr}"\n`, `docker://${primary}/lib/hello:v1`],
    ['(c) mirror 1 404, mirror 2 ok', `[[registry]]\nlocation = "${primary}"\n[[registry.mirror]]\nlocation = "${empty.addr}"\n[[registry.mirror]]\nlocation = "${ok.addr}"\n`, `docker://${primary}/lib/hello:v1`],
  ];
  console.log(`pullOne latency, --tls-verify=false (https tried first, then http, as skopeo), ${RUNS} runs after 5 warm-up, one client per run:`);
  for (const [name, conf, arg] of cases) {
    const file = join(work, 'r.conf');
    await writeFile(file, conf);
    const loaded = await loadRegistriesConf({ registriesConf: file, registriesConfDir: join(work, 'none'), env: {}, home: work });
    const resolution = resolveArg(compileConfig(loaded.config), arg);
    const xs: number[] = [];
    for (let i = 0; i < RUNS + 5; i++) {
      const dispatchers = createDispatcherFactory();
      const client = createRegistryClient({ dispatchers, tlsVerify: false });
      const t = performance.now();
      const r = await pullOne(resolution, { client }, () => {});
      const dt = performance.now() - t;
      await dispatchers.close();
      if (!r.ok) throw new Error(`${name}: ${r.error}`);
      if (i >= 5) xs.push(dt);
    }
    console.log(`  ${name.padEnd(36)} p50 ${f(pct(xs, 50))} ms  p95 ${f(pct(xs, 95))} ms  max ${f(Math.max(...xs))} ms`);
  }
  console.log('  baseline (bench/data/README.md, same box earlier): skopeo 16.2 / 18.8 / 19.5 ms per run, of which ~11 ms is process start');
  await Promise.all([ok.stop(), empty.stop()]);
  await rm(work, { recursive: true, force: true });
}

async function headThroughput(): Promise<void> {
  const body = '{}';
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(body.length), 'docker-content-digest': 'sha256:' + '0'.repeat(64), 'docker-distribution-api-version': 'registry/2.0' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = `127.0.0.1:${(server.address() as { port: number }).port}`;
  const C = 16;
  async function loop(fn: () => Promise<void>): Promise<{ rps: number; conns: number }> {
    const c0 = connections;
    let n = 0;
    const end = performance.now() + DUR * 1000;
    await Promise.all(Array.from({ length: C }, async () => {
      while (performance.now() < end) {
        await fn();
        n++;
      }
    }));
    return { rps: n / DUR, conns: connections - c0 };
  }
  const baseAgent = new Agent({ connections: C });
  const baseline = await loop(async () => {
    const r = await request(`http://${addr}/v2/x/manifests/y`, { method: 'HEAD', dispatcher: baseAgent });
    await r.body.dump();
  });
  await baseAgent.close();
  const dispatchers = createDispatcherFactory({ connectionsPerOrigin: C });
  const client = createRegistryClient({ dispatchers });
  const session = { host: addr, registry: addr, scheme: 'http' as const, insecure: false, tls: null, credentials: null, challenges: [] };
  const ours = await loop(async () => {
    await client.headManifest(session, 'x', 'y');
  });
  await dispatchers.close();
  server.close();
  console.log(`manifest HEAD throughput, node:http stub, ${C} concurrent, ${DUR} s each:`);
  console.log(`  baseline undici default (closes after HEAD): ${Math.round(baseline.rps)} req/s, ${baseline.conns} TCP connections`);
  console.log(`  registry client headManifest (reset: false): ${Math.round(ours.rps)} req/s, ${ours.conns} TCP connections`);
}

await failoverLatency();
await headThroughput();
