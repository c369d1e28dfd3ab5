/**
 * bench/load: the load generator's own figures, each beside a baseline measured in the same run.
 *  1. Request rate, manifest HEAD at concurrency 64 against C's mock: pullpath (registry client HEAD through
 *     the load scheduler, with HDR recording) vs a plain undici Pool loop (`reset: false`). Target ≥ 80 %.
 *  2. Memory: the shipped CLI, `pullpath load --rate R`, opening 10,000 full pulls against `pullpath mock
 *     bench/slow-registry.toml` (manifests answer after 15 s), each in its own process: peak RSS (VmHWM) of
 *     the load process, with and without its heap tuning (cli/heap-tuning.ts). Target < 300 MB.
 *     MEM_RATES=1000,10000 by default; MEM_UNTUNED=0 skips the untuned runs.
 *  3. Time-to-failover: a refused first mirror (median < 10 ms before the next source) and a blackholed one
 *     (= the attempt timeout, ≤ 5 % over).
 * Loopback only. Run: npx tsx bench/load.ts   (ROUNDS=2 DUR=5 by default; PARTS=rate,memory,failover)
 *   RATE_TUNED=1 runs part 1 with `pullpath load`'s heap tuning (cli/heap-tuning.ts) applied to the process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Agent, Pool, request } from 'undici';
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

const BIN = new URL('../bin/pullpath.js', import.meta.url).pathname;
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

/** Reads a process's peak RSS (VmHWM, MB) and CPU time (s) from /proc while it runs; the last reading before it exits. */
function watchProcess(pid: number): { stop: () => { peakMb: number; cpuS: number } } {
  let peakKb = 0;
  let ticks = 0;
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? peakKb);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks = Number(stat[11]) + Number(stat[12]);
    } catch {
      // exited
    }
  };
  const timer = setInterval(read, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakMb: peakKb / 1024, cpuS: ticks / 100 };
    },
  };
}

interface CliLoadRun {
  rate: number;
  peakMb: number;
  cpuS: number;
  summary: { requests: number; successes: number; lateStarts: number; elapsedMs: number; latency: { p50Ms: number; maxMs: number }; perSecond: { ok: number; failed: number }[] };
}

/** One `pullpath load` process (the shipped CLI, as a user runs it) against the mock; its peak RSS from outside. */
async function cliLoad(mock: { registriesConf: string; connectTo: string[] }, rate: number, env: NodeJS.ProcessEnv): Promise<CliLoadRun> {
  const emptyDir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
  const child = spawn(
    process.execPath,
    [BIN, 'load', '--registries-conf', mock.registriesConf, '--registries-conf-dir', emptyDir, ...mock.connectTo.flatMap((c) => ['--connect-to', c]),
      '--rate', String(rate), '--max-requests', '10000', '--duration', '0', '--timeout', '60', '--no-tui', '--output', 'json', 'slow.example.com/acme/app:1.4'],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  const watch = watchProcess(child.pid!);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await once(child, 'exit');
  const { peakMb, cpuS } = watch.stop();
  rmSync(emptyDir, { recursive: true, force: true });
  return { rate, peakMb, cpuS, summary: JSON.parse(out) };
}

async function partMemory(): Promise<void> {
  // The mock in its own process (`pullpath mock`), so the figure is the generator's alone.
  const mockProc = spawn(process.execPath, [BIN, 'mock', new URL('./slow-registry.toml', import.meta.url).pathname, '--output', 'json', '--duration', '900'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  for await (const chunk of mockProc.stdout!) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  const mock = JSON.parse(text) as { registriesConf: string; connectTo: string[] };
  const rates = (process.env.MEM_RATES ?? '1000,10000').split(',').map(Number);
  console.log('2. memory: `pullpath load` (the CLI process) opening 10,000 full pulls (https ping, http ping, manifest GET) against');
  console.log('   `pullpath mock bench/slow-registry.toml` (another process; manifests answer after 15 s): every pull is in flight');
  console.log('   from its start until at least 15 s later. Peak RSS (VmHWM) and CPU time of the load process:');
  const rows: [string, CliLoadRun][] = [];
  for (const rate of rates) {
    rows.push([`--rate ${rate}`, await cliLoad(mock, rate, process.env)]);
    if (process.env.MEM_UNTUNED !== '0') rows.push([`--rate ${rate}, PULLPATH_NO_HEAP_TUNING=1`, await cliLoad(mock, rate, { ...process.env, PULLPATH_NO_HEAP_TUNING: '1' })]);
  }
  mockProc.kill('SIGINT');
  await once(mockProc, 'exit');
  for (const [label, r] of rows) {
    const s = r.summary;
    const firstDone = s.perSecond.findIndex((b) => b.ok + b.failed > 0);
    // Every pull takes ≥ 15 s once started, so none starts later than its slot by more than (max end-to-end − 15 s).
    const lastStart = 10_000 / r.rate + Math.max(0, s.latency.maxMs / 1000 - 15);
    console.log(
      `   ${label.padEnd(40)} peak ${r.peakMb.toFixed(0).padStart(4)} MB (target < 300)  cpu ${r.cpuS.toFixed(1)} s  ` +
        `${s.successes}/${s.requests} ok, started late ${s.lateStarts}, p50 ${(s.latency.p50Ms / 1000).toFixed(2)} s, ` +
        `last start by ${lastStart.toFixed(1)} s, first finish in second ${firstDone}` +
        (firstDone >= lastStart ? ' (all 10,000 in flight at once)' : ''),
    );
  }
  // The heap tuning's price, each tuned run beside its untuned baseline from the same run.
  for (const rate of rates) {
    const tuned = rows.find(([l]) => l === `--rate ${rate}`)?.[1];
    const untuned = rows.find(([l]) => l === `--rate ${rate}, PULLPATH_NO_HEAP_TUNING=1`)?.[1];
    if (!tuned || !untuned) continue;
    console.log(
      `   heap tuning at --rate ${rate}: CPU ${tuned.cpuS.toFixed(1)} s vs ${untuned.cpuS.toFixed(1)} s untuned = ${signedPct(tuned.cpuS / untuned.cpuS)} CPU; ` +
        `peak ${tuned.peakMb.toFixed(0)} vs ${untuned.peakMb.toFixed(0)} MB = ${signedPct(tuned.peakMb / untuned.peakMb)} memory`,
    );
  }
}

const signedPct = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(0)} %`;

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
  // Anchor, same run: what failing over from a refused insecure mirror costs at least, the runtime's two dials
  // (https, then http) with plain undici.request, sequentially, no pull around them.
  const refusedAddr = mocks.hostMap['refused.example.com']!;
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  const bare: number[] = [];
  for (let i = 0; i < 320; i++) {
    const t = performance.now();
    for (const scheme of ['https', 'http']) await request(`${scheme}://${refusedAddr}/v2/`, { dispatcher: agent }).then((r) => r.body.dump(), () => {});
    if (i >= 20) bare.push(performance.now() - t);
  }
  await agent.close();
  const f1 = Object.values(s1.failover)[0]!;
  const f2 = Object.values(s2.failover)[0]!;
  console.log(`3. time-to-failover (time on the failing mirror before the next source; insecure mirrors: https then http)`);
  console.log(`   refused mirror: ${f1.count} pulls, median ${f1.p50Ms.toFixed(2)} ms, p99 ${f1.p99Ms.toFixed(2)} ms, max ${f1.maxMs.toFixed(2)} ms (target median < 10 ms); all ok: ${s1.successes === s1.requests}`);
  const sorted = [...bare].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  console.log(`   anchor, same run: the two refused dials (https, http) with plain undici.request, ${bare.length} times: median ${q(50).toFixed(2)} ms, p99 ${q(99).toFixed(2)} ms; pullpath/anchor ${(f1.p50Ms / q(50)).toFixed(2)}× (median), ${(f1.p99Ms / q(99)).toFixed(2)}× (p99)`);
  console.log(`   blackholed mirror, attempt timeout ${timeoutMs} ms: ${f2.count} pulls, median ${f2.p50Ms.toFixed(1)} ms, max ${f2.maxMs.toFixed(1)} ms = ${(((f2.maxMs - timeoutMs) / timeoutMs) * 100).toFixed(1)} % over (target ≤ 5 %); all ok: ${s2.successes === s2.requests}`);
}

const os = await import('node:os');
console.log(`bench/load on ${process.version}, ${os.cpus().length} CPUs; loopback only; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
const PARTS = (process.env.PARTS ?? 'rate,memory,failover').split(',');
if (PARTS.includes('rate')) {
  if (process.env.RATE_TUNED === '1') (await import('../cli/heap-tuning.ts')).tuneHeapForLoad();
  await partRate();
  console.log();
}
if (PARTS.includes('memory')) {
  await partMemory();
  console.log();
}
if (PARTS.includes('failover')) await partFailover();
console.log(`\nload average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
