/**
 * bench/batch: many images through a failing-over chain, the CLI process against skopeo's processes.
 *
 * The chain (one registries.conf, read by both tools): mirror 1 refuses (a closed loopback port), mirror 2
 * serves (the project's mock registry, in a process of its own: bench/batch-mock.ts, so its CPU is nobody's),
 * the primary is never reached. Every endpoint is `insecure`, so both tools ping https first, then http, as the
 * runtime does.
 *  - subject: `node bin/pullpath.js pull --images FILE --jobs 32` (the real launcher), N images (default 1,000),
 *    timed by /usr/bin/time: wall time, user+sys CPU of the process, peak RSS;
 *  - anchor: `skopeo inspect --raw docker://…` run sequentially for the first M images (default 100), scaled
 *    ×N/M and printed as such;
 *  - the engine alone, in this process (pullImages over the same resolutions, the same text report into a
 *    string): CPU per image, so what the process adds is visible;
 *  - the cold-process floors (bench/batch-floor.mjs, plain `node`, timed like the subject): the same requests with
 *    bare undici.request, and with node:net/tls and no HTTP library at all. What a fresh Node process pays for the
 *    runtime's request sequence without pullpath: the subject's CPU per image is judged against these.
 * Rounds alternate subject and anchor. Targets (issue 14): ≥ 15× faster than skopeo, ≤ 1 ms CPU per image.
 * Prints figures, asserts nothing. Run: npx tsx bench/batch.ts   (N=1000 SKOPEO_RUNS=100 JOBS=32 ROUNDS=3)
 * OTHER_BIN=/path/to/other/checkout/bin/pullpath.js also runs that build's CLI in every round (before/after figures
 * from one run).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { compileConfig } from '../src/resolve/index.ts';
import { enginePass } from './engine-pass.ts';
import { MANIFEST_ACCEPT } from '../src/registry/manifest.ts';
import { Agent, request } from 'undici';
import { createSecureContext } from 'node:tls';

const N = Number(process.env.N ?? 1000);
const SKOPEO_RUNS = Math.min(N, Number(process.env.SKOPEO_RUNS ?? 100));
const JOBS = Number(process.env.JOBS ?? 32);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const BIN = new URL('../bin/pullpath.js', import.meta.url).pathname;
const OTHER_BIN = process.env.OTHER_BIN;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuS = (t: { userS: number; sysS: number }): number => t.userS + t.sysS;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** A loopback port nobody listens on: bound, then closed (the kernel answers RST: connection refused). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

interface Timed {
  wallS: number;
  userS: number;
  sysS: number;
  maxRssKb: number;
  status: number | null;
  stdout: string;
}

/** Runs `argv` under /usr/bin/time: rusage of that process (and its children, if any), not of this one. */
function timed(argv: string[], env: NodeJS.ProcessEnv): Timed {
  const timeFile = join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', ...argv], { env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const [e, u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallS: e!, userS: u!, sysS: s!, maxRssKb: m!, status: r.status, stdout: r.stdout };
}

if (!existsSync('/usr/bin/time')) {
  console.log('bench/batch needs /usr/bin/time (Debian package `time`) to read the CLI process\'s CPU; not found.');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'pp-bench-batch-'));
// Both tools get the same empty home: no auth.json, no certs.d, no user registries.conf drop-ins.
const env: NodeJS.ProcessEnv = { ...process.env, HOME: work, XDG_RUNTIME_DIR: work, XDG_CONFIG_HOME: join(work, '.config'), REGISTRY_AUTH_FILE: undefined, NO_COLOR: '1' };
delete env.REGISTRY_AUTH_FILE;

const mock = spawn(process.execPath, [...process.execArgv, new URL('./batch-mock.ts', import.meta.url).pathname], { env: { ...process.env, N: String(N) }, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: mock.stdout! })[Symbol.asyncIterator]();
const { port } = JSON.parse((await lines.next()).value as string) as { port: number };
const dead = `127.0.0.1:${await closedPort()}`;
const primary = `127.0.0.1:${await closedPort()}`;
const confText = `# bench/batch: mirror 1 refuses, mirror 2 serves, the primary is never reached
[[registry]]
location = "${primary}"
insecure = true
[[registry.mirror]]
location = "${dead}"
insecure = true
[[registry.mirror]]
location = "127.0.0.1:${port}"
insecure = true
`;
const confFile = join(work, 'registries.conf');
writeFileSync(confFile, confText);
const refs = Array.from({ length: N }, (_, i) => `${primary}/bench/img${i}:v1`);
const imagesFile = join(work, 'images.txt');
writeFileSync(imagesFile, refs.join('\n') + '\n');
const oneImageFile = join(work, 'one-image.txt'); // the start-up runs: the same process with one image
writeFileSync(oneImageFile, refs[0]! + '\n');
const confDir = join(work, 'registries.conf.d'); // empty: no system drop-ins for pullpath; skopeo reads its own

console.log(`pullpath bench/batch — Node ${process.version}, ${cpus().length} CPUs, ${new Date().toISOString()}`);
console.log(`chain: mirror 1 ${dead} refuses, mirror 2 127.0.0.1:${port} serves (mock registry, own process), all insecure (https tried first, then http)`);
console.log(`load average at start: ${load()}`);
console.log('');

const pullArgv = (bin: string, list = imagesFile) => [process.execPath, bin, 'pull', '--registries-conf', confFile, '--registries-conf-dir', confDir, '--images', list, '--jobs', String(JOBS), '--no-tui'];
const ppArgv = pullArgv(BIN);
const skopeoArgv = (ref: string) => ['skopeo', '--registries-conf', confFile, 'inspect', '--raw', `docker://${ref}`];

// ── the engine alone, in this process: the same resolutions, the text report into a string ──
async function engineRun(): Promise<{ cpuMs: number; wallMs: number; ok: number }> {
  const compiled = compileConfig(loadRegistriesConfFromTexts({ main: { path: confFile, text: confText }, mainPath: confFile, dropins: [] }));
  return enginePass(compiled, refs, JOBS);
}

// ── the floor, in this process: the same five requests per image with plain undici.request, nothing else ──
// (https then http to the refused mirror, https then http ping of the serving one, the manifest GET): no events,
// no steps, no error wording, no report. What pullpath's engine spends above this is its own.
// One SecureContext for every TLS connection, as pullpath's dispatcher has: undici alone builds one per connection
// (with its CA store), about 0.4 ms per image more on this chain, which would flatter the engine.
async function undiciFloor(): Promise<{ cpuMs: number; ok: number }> {
  const agent = new Agent({ connect: { rejectUnauthorized: false, secureContext: createSecureContext({}) } });
  const headers = { 'user-agent': 'pullpath/0.1.0', 'docker-distribution-api-version': 'registry/2.0' };
  const manifestHeaders = { ...headers, accept: [...MANIFEST_ACCEPT] };
  const get = async (url: string, h: Record<string, string | string[]>): Promise<number> => {
    try {
      const r = await request(url, { dispatcher: agent, headers: h });
      await r.body.arrayBuffer();
      return r.statusCode;
    } catch {
      return 0;
    }
  };
  const cpu0 = process.cpuUsage();
  let ok = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < N) {
      const i = next++;
      const mirror = `127.0.0.1:${port}`;
      if ((await get(`https://${dead}/v2/`, headers)) !== 0) continue;
      if ((await get(`http://${dead}/v2/`, headers)) !== 0) continue;
      await get(`https://${mirror}/v2/`, headers);
      if ((await get(`http://${mirror}/v2/`, headers)) !== 200) continue;
      if ((await get(`http://${mirror}/v2/bench/img${i}/manifests/v1`, manifestHeaders)) === 200) ok++;
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  await agent.close();
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, ok };
}

// ── the cold-process floors: the same requests in a fresh `node` process, without pullpath ──
const FLOOR = new URL('./batch-floor.mjs', import.meta.url).pathname;
const floorArgv = (mode: 'undici' | 'net', n: number) => [process.execPath, FLOOR, mode, dead, `127.0.0.1:${port}`, String(n), String(JOBS)];
function coldFloor(mode: 'undici' | 'net', n = N): Timed {
  const t = timed(floorArgv(mode, n), env);
  if (t.status !== 0 || !t.stdout.includes(`${n} of ${n} images pulled`)) throw new Error(`floor ${mode} failed (exit ${t.status}): ${t.stdout.trim()}`);
  return t;
}
// Start-up apart from per-image work: the same process pulling ONE image. (CPU(N) − CPU(1)) / (N − 1) is the CPU
// per image beyond start-up; start-up is the launcher's and the bundle's business, the rest is the pull path's.
const ppOne: Timed[] = [];
const undiciOne: Timed[] = [];
function startupRuns(): void {
  const p = timed(pullArgv(BIN, oneImageFile), env);
  if (p.status !== 0) throw new Error(`pullpath, one image, failed (exit ${p.status}): ${p.stdout.trim()}`);
  ppOne.push(p);
  undiciOne.push(coldFloor('undici', 1));
}
const beyondStartup = (t: Timed, one: Timed): number => ((cpuS(t) - cpuS(one)) * 1000) / (N - 1);

const haveSkopeo = which('skopeo');
// Warm-up: builds the launcher's bundle if the sources changed, fills the page cache, JITs the in-process engine.
timed(ppArgv, env);
if (OTHER_BIN) timed(pullArgv(OTHER_BIN), env);
const warmEngine = await engineRun();
await undiciFloor();
coldFloor('undici');
coldFloor('net');
if (haveSkopeo) timed(skopeoArgv(refs[0]!), env);

const pp: Timed[] = [];
const other: Timed[] = [];
const sk: number[] = [];
const skCpu: number[] = [];
const engine: { cpuMs: number; wallMs: number; ok: number }[] = [];
const floor: { cpuMs: number; ok: number }[] = [];
const coldUndici: Timed[] = [];
const coldNet: Timed[] = [];
const loads: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  loads.push(load());
  const p = timed(ppArgv, env);
  const pulled = /(\d+) of (\d+) images pulled/.exec(p.stdout);
  if (p.status !== 0 || !pulled || pulled[1] !== String(N)) {
    console.log(`pullpath run failed (exit ${p.status}): ${p.stdout.split('\n').slice(-4).join(' | ')}`);
    process.exitCode = 1;
  }
  pp.push(p);
  if (OTHER_BIN) {
    const o = timed(pullArgv(OTHER_BIN), env);
    other.push(o);
    console.log(`round ${round + 1}: other build (${OTHER_BIN}): ${o.wallS.toFixed(2)} s, CPU ${(o.userS + o.sysS).toFixed(2)} s, peak RSS ${(o.maxRssKb / 1024).toFixed(0)} MB, exit ${o.status}`);
  }
  engine.push(await engineRun());
  floor.push(await undiciFloor());
  coldUndici.push(coldFloor('undici'));
  if (N > 1) startupRuns();
  coldNet.push(coldFloor('net'));
  if (haveSkopeo) {
    let wall = 0;
    let cpu = 0;
    for (let i = 0; i < SKOPEO_RUNS; i++) {
      const s = timed(skopeoArgv(refs[i]!), env);
      if (s.status !== 0) throw new Error(`skopeo failed on ${refs[i]}`);
      wall += s.wallS;
      cpu += s.userS + s.sysS;
    }
    sk.push(wall);
    skCpu.push(cpu);
  }
  const e = engine[engine.length - 1]!;
  console.log(
    `round ${round + 1}: pullpath ${p.wallS.toFixed(2)} s, CPU ${(p.userS + p.sysS).toFixed(2)} s, peak RSS ${(p.maxRssKb / 1024).toFixed(0)} MB` +
      ` | engine in-process CPU ${(e.cpuMs / 1000).toFixed(2)} s, plain undici ${(floor[floor.length - 1]!.cpuMs / 1000).toFixed(2)} s` +
      ` | cold floors: undici CPU ${cpuS(coldUndici[coldUndici.length - 1]!).toFixed(2)} s, node:net ${cpuS(coldNet[coldNet.length - 1]!).toFixed(2)} s` +
      (haveSkopeo ? ` | skopeo ×${SKOPEO_RUNS} ${sk[sk.length - 1]!.toFixed(2)} s (CPU ${skCpu[skCpu.length - 1]!.toFixed(2)} s)` : '') +
      ` | load ${loads[loads.length - 1]}`,
  );
}

mock.stdin!.end();
const requests = JSON.parse(((await lines.next()).value as string) ?? '{}') as { requests?: number };

const ppWall = median(pp.map((p) => p.wallS));
const ppCpuPerImage = median(pp.map((p) => ((p.userS + p.sysS) * 1000) / N));
const engineCpuPerImage = median(engine.map((e) => e.cpuMs / N));
console.log('');
console.log(`medians of ${ROUNDS} interleaved rounds, ${N} images, --jobs ${JOBS}:`);
console.log(`  pullpath pull (process, bin/pullpath.js): ${ppWall.toFixed(2)} s wall, ${(N / ppWall).toFixed(0)} images/s; peak RSS ${(median(pp.map((p) => p.maxRssKb)) / 1024).toFixed(0)} MB`);
console.log(`  CPU per image, the pullpath process (user+sys / ${N}): ${ppCpuPerImage.toFixed(3)} ms (target ≤ 1 ms: ${ppCpuPerImage <= 1 ? 'met' : 'NOT met'})`);
console.log(`  CPU per image, the engine alone in-process (resolve + pull + text report; warm): ${engineCpuPerImage.toFixed(3)} ms (first, cold run: ${(warmEngine.cpuMs / N).toFixed(3)} ms); process overhead ${(ppCpuPerImage - engineCpuPerImage).toFixed(3)} ms per image`);
if (OTHER_BIN) {
  const ow = median(other.map((o) => o.wallS));
  const oc = median(other.map((o) => ((o.userS + o.sysS) * 1000) / N));
  console.log(`  other build (${OTHER_BIN}), same rounds: ${ow.toFixed(2)} s wall, CPU per image ${oc.toFixed(3)} ms; this build / other: wall ${(ppWall / ow).toFixed(2)}×, CPU ${(ppCpuPerImage / oc).toFixed(2)}×`);
}
const floorCpuPerImage = median(floor.map((f) => f.cpuMs / N));
console.log(`  CPU per image, plain undici.request doing the same 5 requests (in-process floor): ${floorCpuPerImage.toFixed(3)} ms (${median(floor.map((f) => f.ok))} of ${N} ok); engine / floor ${(engineCpuPerImage / floorCpuPerImage).toFixed(2)}×`);
const coldUndiciCpu = median(coldUndici.map((t) => (cpuS(t) * 1000) / N));
const coldNetCpu = median(coldNet.map((t) => (cpuS(t) * 1000) / N));
console.log(`  cold-process floors (a fresh \`node\` doing the same requests, no pullpath; bench/batch-floor.mjs): bare undici.request ${coldUndiciCpu.toFixed(3)} ms CPU per image, ${median(coldUndici.map((t) => t.wallS)).toFixed(2)} s wall; node:net/tls with no HTTP library ${coldNetCpu.toFixed(3)} ms, ${median(coldNet.map((t) => t.wallS)).toFixed(2)} s wall`);
console.log(`  pullpath process / cold undici floor: CPU ${(ppCpuPerImage / coldUndiciCpu).toFixed(2)}×; / node:net floor: ${(ppCpuPerImage / coldNetCpu).toFixed(2)}×`);
if (N > 1) {
  const ppBeyond = median(pp.map((p, i) => beyondStartup(p, ppOne[i]!)));
  const undiciBeyond = median(coldUndici.map((u, i) => beyondStartup(u, undiciOne[i]!)));
  console.log(
    `  start-up (the same process, one image): pullpath ${median(ppOne.map(cpuS)).toFixed(2)} s CPU, bare-undici floor ${median(undiciOne.map(cpuS)).toFixed(2)} s` +
      `; CPU per image beyond start-up: pullpath ${ppBeyond.toFixed(3)} ms, bare undici ${undiciBeyond.toFixed(3)} ms (pullpath / undici ${(ppBeyond / undiciBeyond).toFixed(2)}×)`,
  );
}
if (haveSkopeo) {
  const skWall = median(sk);
  const scaled = (skWall * N) / SKOPEO_RUNS;
  console.log(`  skopeo inspect --raw, sequential: measured ${SKOPEO_RUNS}, scaled ×${N / SKOPEO_RUNS}: ${scaled.toFixed(2)} s (${((skWall / SKOPEO_RUNS) * 1000).toFixed(1)} ms per run; CPU ${((median(skCpu) / SKOPEO_RUNS) * 1000).toFixed(1)} ms per run)`);
  const ratio = scaled / ppWall;
  console.log(`  speed ratio, skopeo (scaled) / pullpath: ${ratio.toFixed(1)}× (target ≥ 15×: ${ratio >= 15 ? 'met' : 'NOT met'})`);
  console.log(`  the same ratio for the cold floors (what the request sequence allows in Node): bare undici ${(scaled / median(coldUndici.map((t) => t.wallS))).toFixed(1)}×, node:net/tls ${(scaled / median(coldNet.map((t) => t.wallS))).toFixed(1)}×`);
} else {
  console.log('  skopeo: not installed, no anchor and no ratio (apt-get install skopeo)');
}
console.log(`  mock registry requests served: ${requests.requests ?? '?'}; load average per round: ${loads.join(' / ')}; at end: ${load()}`);
rmSync(work, { recursive: true, force: true });
