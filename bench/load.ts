/**
 * bench/load: the load generator's own figures, each beside a baseline measured in the same run.
 *  1. Request rate, manifest HEAD at concurrency 64 against C's mock: pullpath (registry client HEAD through
 *     the load scheduler, with HDR recording) vs a plain undici Pool loop (`reset: false`). Target ≥ 80 %.
 *  2. Memory: 10,000 full pulls in flight (open loop) against a slow mock in a child process: peak RSS
 *     of the generator. Target < 300 MB.
 *  3. Time-to-failover: a refused first mirror (median < 10 ms before the next source) and a blackholed one
 *     (= the attempt timeout, ≤ 5 % over).
 * Loopback only. Run: npx tsx bench/load.ts   (ROUNDS=2 DUR=5 by default; PARTS=rate,memory,failover)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';
import { startMockRegistry, startMockRegistries } from '../src/mock/start.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { HostMap } from '../src/registry/host-map.ts';
import { MANIFEST_ACCEPT } from '../src/registry/manifest.ts';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { compileConfig } from '../src/resolve/compile.ts';
import { resolveArg } from '../src/resolve/resolve.ts';
import { runSchedule } from '../src/load/scheduler.ts';
import { realClock } from '../src/load/clock.ts';
import { runLoad } from '../src/load/run-load.ts';
import { createLatencyHistogram, recordMs, summarizeHistogram } from '../src/load/latency-histogram.ts';
import { startBlackhole } from '../test/helpers/docker-registry.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const DUR_MS = Number(process.env.DUR ?? 5) * 1000;
const C = 64;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const conf = (text: string) => compileConfig(loadRegistriesConfFromTexts({ main: { path: 'bench.conf', text }, mainPath: 'bench.conf', dropins: [] }));

async function plainUndici(origin: string, path: string): Promise<number> {
  const pool = new Pool(origin, { connections: C });
  // The same request headers pullpath's client sends, so the server does the same work for both loops.
  const headers = { 'user-agent': 'pullpath/0.1.0', 'docker-distribution-api-version': 'registry/2.0', accept: [...MANIFEST_ACCEPT] };
  let n = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop) {
      const res = await pool.request({ method: 'HEAD', path, headers, reset: false });
      await res.body.dump();
      if (res.statusCode === 200) n++;
    }
  };
  const warm = setTimeout(() => (n = 0), 1000);
  const t0 = performance.now();
  const ws = Array.from({ length: C }, worker);
  await new Promise((r) => setTimeout(r, DUR_MS + 1000));
  stop = true;
  await Promise.all(ws);
  clearTimeout(warm);
  const rate = n / ((performance.now() - t0 - 1000) / 1000);
  await pool.close();
  return rate;
}

/** The registry client alone (no scheduler, no recording): attributes the gap between client and generator. */
async function clientOnly(address: string): Promise<number> {
  const hostMap = HostMap.parse([`mirror.example.com:${address}`]);
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: C });
  const client = createRegistryClient({ hostMap, dispatchers });
  const session = await client.ping('mirror.example.com', { insecure: true, repository: 'mirror.example.com/acme/app' });
  let n = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop) if ((await client.headManifest(session, 'acme/app', '1.4')).present) n++;
  };
  const warm = setTimeout(() => (n = 0), 1000);
  const t0 = performance.now();
  const ws = Array.from({ length: C }, worker);
  await new Promise((r) => setTimeout(r, DUR_MS + 1000));
  stop = true;
  await Promise.all(ws);
  clearTimeout(warm);
  const rate = n / ((performance.now() - t0 - 1000) / 1000);
  await client.close();
  await dispatchers.close();
  return rate;
}

async function pullpathHead(address: string): Promise<{ rate: number; p50: number; p99: number }> {
  const hostMap = HostMap.parse([`mirror.example.com:${address}`]);
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: C });
  const client = createRegistryClient({ hostMap, dispatchers });
  const session = await client.ping('mirror.example.com', { insecure: true, repository: 'mirror.example.com/acme/app' });
  const h = createLatencyHistogram();
  let ok = 0;
  const task = async (): Promise<void> => {
    const t = performance.now();
    const r = await client.headManifest(session, 'acme/app', '1.4');
    if (r.present) ok++;
    recordMs(h, performance.now() - t);
  };
  await runSchedule({ mode: { kind: 'closed', concurrency: C }, durationMs: 1000, maxRequests: null }, task, realClock); // warm-up
  ok = 0;
  h.reset();
  const res = await runSchedule({ mode: { kind: 'closed', concurrency: C }, durationMs: DUR_MS, maxRequests: null }, task, realClock);
  const s = summarizeHistogram(h);
  await client.close();
  await dispatchers.close();
  return { rate: ok / (res.elapsedMs / 1000), p50: s.p50Ms, p99: s.p99Ms };
}

async function partRate(): Promise<void> {
  // Faults configured but inactive (a window far in the future), as in a real scenario.
  const reg = await startMockRegistry({ host: 'mirror.example.com', images: [{ repository: 'acme/app', tags: ['1.4'] }], faults: [{ kind: 'status', status: 503, from: 86_400 }] });
  const plain: number[] = [];
  const bare: number[] = [];
  const pp: { rate: number; p50: number; p99: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    plain.push(await plainUndici(reg.origin, '/v2/acme/app/manifests/1.4'));
    pp.push(await pullpathHead(reg.address));
    bare.push(await clientOnly(reg.address));
  }
  await reg.close();
  const pm = median(pp.map((x) => x.rate));
  const um = median(plain);
  console.log(`1. manifest HEAD, concurrency ${C}, ${ROUNDS} rounds × ${DUR_MS / 1000} s, C's mock (faults configured, inactive)`);
  console.log(`   plain undici Pool loop (reset: false): ${fmt(um)} HEAD/s   [rounds: ${plain.map(fmt).join(', ')}]`);
  console.log(`   pullpath client + load scheduler:      ${fmt(pm)} HEAD/s   [rounds: ${pp.map((x) => fmt(x.rate)).join(', ')}], p50 ${median(pp.map((x) => x.p50)).toFixed(2)} ms, p99 ${median(pp.map((x) => x.p99)).toFixed(2)} ms`);
  console.log(`   registry client alone (no scheduler):  ${fmt(median(bare))} HEAD/s   [rounds: ${bare.map(fmt).join(', ')}]`);
  console.log(`   ratio: ${((pm / um) * 100).toFixed(1)} % of the plain loop (target ≥ 80 %); client alone ${((median(bare) / um) * 100).toFixed(1)} %`);
}

async function partMemory(): Promise<void> {
  const N = 10_000;
  const slowMs = Number(process.env.SLOW_MS ?? 12_000);
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-slow-mock.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, SLOW_MS: String(slowMs) } });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const hostMap = HostMap.parse([`slow.example.com:127.0.0.1:${port}`]);
  // Sockets dominate memory (a plain undici Pool holding 10,000 sockets alone peaks near 220 MB here), so
  // the generator caps connections per origin; pulls beyond the cap wait in undici's queue, still in flight.
  const conns = Number(process.env.MEM_CONNS ?? N);
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: conns });
  const client = createRegistryClient({ hostMap, dispatchers });
  const r = resolveArg(conf('[[registry]]\nlocation = "slow.example.com"\ninsecure = true\n'), 'slow.example.com/acme/app:1.4');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let peakInFlight = 0;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) [peak, atPeak] = [m.rss, m];
  }, 50);
  const t0 = performance.now();
  const s = await runLoad({
    target: { resolutions: [r] },
    pull: { client, attemptTimeoutMs: 60_000 },
    mode: { kind: 'open', ratePerSec: 10_000, maxInFlight: N },
    durationMs: null,
    maxRequests: N,
    onSnapshot: (x) => (peakInFlight = Math.max(peakInFlight, x.inFlight)),
    snapshotEveryMs: 100,
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await client.close();
  await dispatchers.close();
  child.stdin!.end();
  await once(child, 'exit');
  console.log(`2. memory: ${fmt(N)} full pulls (ping + manifest GET) opened at 10,000/s against a mock answering manifests after ${slowMs / 1000} s (child process), ${fmt(conns)} connections per origin`);
  console.log(`   peak pulls in flight: ${fmt(peakInFlight)}; finished ${fmt(s.requests)} (${s.successes} ok) in ${((performance.now() - t0) / 1000).toFixed(1)} s; end-to-end p50 ${(s.latency.p50Ms / 1000).toFixed(2)} s`);
  console.log(`   generator RSS: ${(rss0 / 1048576).toFixed(0)} MB before, peak ${(peak / 1048576).toFixed(0)} MB (target < 300 MB); at the peak: heap ${(atPeak.heapUsed / 1048576).toFixed(0)} MB, external ${(atPeak.external / 1048576).toFixed(0)} MB`);
}

async function partFailover(): Promise<void> {
  const app = { repository: 'acme/app', tags: ['1.4'] };
  const mocks = await startMockRegistries([{ host: 'refused.example.com', down: true }, { host: 'good.example.com', images: [app] }]);
  const hole = await startBlackhole();
  const hostMap = HostMap.parse([...Object.entries(mocks.hostMap).map(([h, a]) => `${h}:${a}`), `hole.example.com:${hole.addr}`]);
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: 32 });
  const client = createRegistryClient({ hostMap, dispatchers });
  const text = (first: string) =>
    `[[registry]]\nlocation = "good.example.com/acme"\ninsecure = true\n[[registry.mirror]]\nlocation = "${first}/acme"\ninsecure = true\n`;
  const refused = resolveArg(conf(text('refused.example.com')), 'good.example.com/acme/app:1.4');
  const s1 = await runLoad({ target: { resolutions: [refused] }, pull: { client, attemptTimeoutMs: 2000 }, mode: { kind: 'closed', concurrency: 1 }, durationMs: null, maxRequests: 300 });
  const timeoutMs = 1000;
  const holed = resolveArg(conf(text('hole.example.com')), 'good.example.com/acme/app:1.4');
  const s2 = await runLoad({ target: { resolutions: [holed] }, pull: { client, attemptTimeoutMs: timeoutMs }, mode: { kind: 'closed', concurrency: 10 }, durationMs: null, maxRequests: 20 });
  await client.close();
  await dispatchers.close();
  await hole.stop();
  await mocks.close();
  const f1 = Object.values(s1.failover)[0]!;
  const f2 = Object.values(s2.failover)[0]!;
  console.log(`3. time-to-failover (time on the failing mirror before the next source; insecure mirrors: https then http)`);
  console.log(`   refused mirror: ${f1.count} pulls, median ${f1.p50Ms.toFixed(2)} ms, p99 ${f1.p99Ms.toFixed(2)} ms, max ${f1.maxMs.toFixed(2)} ms (target median < 10 ms); all ok: ${s1.successes === s1.requests}`);
  console.log(`   blackholed mirror, attempt timeout ${timeoutMs} ms: ${f2.count} pulls, median ${f2.p50Ms.toFixed(1)} ms, max ${f2.maxMs.toFixed(1)} ms = ${(((f2.maxMs - timeoutMs) / timeoutMs) * 100).toFixed(1)} % over (target ≤ 5 %); all ok: ${s2.successes === s2.requests}`);
}

console.log(`bench/load on ${process.version}, ${(await import('node:os')).cpus().length} CPUs; loopback only\n`);
const PARTS = (process.env.PARTS ?? 'rate,memory,failover').split(',');
if (PARTS.includes('rate')) {
  await partRate();
  console.log();
}
if (PARTS.includes('memory')) {
  await partMemory();
  if (process.env.MEM_CAPPED !== '0') {
    // The same run with V8's old space capped: RSS above is mostly garbage V8 has not collected yet.
    const child = spawn(process.execPath, ['--max-old-space-size=192', '--import', 'tsx', new URL(import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PARTS: 'memory', MEM_CAPPED: '0' },
    });
    let text = '';
    child.stdout!.on('data', (d) => (text += d));
    await once(child, 'exit');
    console.log('   same with --max-old-space-size=192:' + text.split('\n').filter((l) => /peak/.test(l)).map((l) => '\n   ' + l.trim()).join(''));
  }
  console.log();
}
if (PARTS.includes('failover')) await partFailover();
