/**
 * bench/mock: manifest HEAD requests per second at concurrency 8 and 64 against
 *   (a) the mock registry (node:http fast path) with fault rules configured but inactive,
 *   (b) the same routes as msw handlers served through getResponse(),
 *   (c) Debian's docker-registry serving the same manifest (when /usr/bin/docker-registry exists),
 *   (d) a bare node:http server answering the same headers (the ceiling),
 * all in the same run, with one undici Pool per target (`reset: false` on HEAD: undici otherwise closes the
 * connection after every HEAD; see bench/data/README.md). Servers run in a child process.
 *
 * The machine is shared (2 cores, other processes): rounds are interleaved (every target at c=8, then at
 * c=64, three times) and the table shows each figure's median over the rounds, with min–max.
 *
 * Run: npx tsx bench/mock.ts [seconds per measurement, default 2] [rounds, default 3]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { buildImage } from '../src/mock/image-builder.ts';
import { ACCEPT_ALL } from '../test/mock/client.ts';
import { BENCH_IMAGE } from './mock-spec.ts';
import { startDockerRegistry } from '../test/mock/docker-registry.ts';

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);
const WARMUP_MS = 300;
const path = `/v2/${BENCH_IMAGE.repository}/manifests/${BENCH_IMAGE.tags![0]}`;
const digest = buildImage(BENCH_IMAGE).top.digest;

interface Result {
  target: string;
  c: number;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  errors: number;
  connects: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** c workers doing HEAD back to back for SECONDS after a warm-up; checks each answer's digest. */
async function measure(target: string, origin: string, c: number, seconds = SECONDS): Promise<Result> {
  const pool = new Pool(origin, { connections: c, pipelining: 1, keepAliveTimeout: 60_000 });
  let connects = 0;
  pool.on('connect', () => connects++);
  let counting = false;
  let stop = false;
  let ok = 0;
  let bad = 0;
  let errors = 0;
  const lat: number[] = [];
  const worker = async () => {
    while (!stop) {
      const t0 = performance.now();
      try {
        const r = await pool.request({ method: 'HEAD', path, headers: { accept: ACCEPT_ALL }, reset: false });
        await r.body.dump();
        if (!counting) continue;
        if (r.statusCode === 200 && r.headers['docker-content-digest'] === digest) ok++;
        else bad++;
        lat.push(performance.now() - t0);
      } catch {
        if (counting) errors++;
      }
    }
  };
  const workers = Array.from({ length: c }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  counting = true;
  const connectsBefore = connects;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  const sorted = Float64Array.from(lat).sort();
  return { target, c, rps: ok / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), bad, errors, connects: connects - connectsBefore };
}

async function startServers(): Promise<{ ports: { mock: number; msw: number; bare: number }; stop(): Promise<string> }> {
  const script = fileURLToPath(new URL('./mock-servers.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
    });
  const ports = JSON.parse(await nextLine());
  return {
    ports,
    stop: async () => {
      const stats = nextLine();
      child.stdin!.end();
      const { requests, faultsFired } = JSON.parse(await stats);
      return `the mock served ${requests} requests; fault rules fired: ${faultsFired}`;
    },
  };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');

async function main(): Promise<void> {
  const servers = await startServers();
  const registry = await startDockerRegistry().catch((err: Error) => {
    process.stderr.write(`docker-registry: ${err.message}\n`);
    return undefined;
  });
  if (registry !== undefined) await registry.push(buildImage(BENCH_IMAGE));
  const targets: Array<[string, string]> = [
    ['mock (faults inactive)', `http://127.0.0.1:${servers.ports.mock}`],
    ['mock via msw getResponse', `http://127.0.0.1:${servers.ports.msw}`],
    ['bare node:http', `http://127.0.0.1:${servers.ports.bare}`],
  ];
  if (registry !== undefined) targets.push(['docker-registry 2.8', registry.origin]);
  const rounds: Result[] = [];
  let served = '';
  try {
    for (const [name, origin] of targets) await measure(name, origin, 64, 1); // JIT warm-up, not counted
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of [8, 64]) for (const [name, origin] of targets) rounds.push(await measure(name, origin, c));
    }
  } finally {
    served = await servers.stop();
    await registry?.stop();
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results = [8, 64].flatMap((c) =>
    targets.map(([name]) => {
      const rs = rounds.filter((r) => r.c === c && r.target === name);
      const sum = (k: 'bad' | 'errors' | 'connects') => rs.reduce((a, r) => a + r[k], 0);
      return {
        target: name, c, rps: median(rs.map((r) => r.rps)), min: Math.min(...rs.map((r) => r.rps)), max: Math.max(...rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), bad: sum('bad'), errors: sum('errors'), connects: sum('connects'),
      };
    }),
  );
  const out: string[] = [];
  out.push(`manifest HEAD ${path}: ${ROUNDS} interleaved rounds of ${SECONDS} s per target and concurrency (after ${WARMUP_MS} ms warm-up each), undici Pool, reset: false`);
  const os = await import('node:os');
  out.push(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (at the end)`);
  out.push('');
  out.push(`${'target'.padEnd(26)} ${'conc'.padStart(4)} ${'req/s'.padStart(9)} ${'min–max'.padStart(15)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-200'.padStart(8)} ${'errors'.padStart(7)} ${'new conns'.padStart(9)}`);
  for (const r of results) {
    out.push(`${r.target.padEnd(26)} ${String(r.c).padStart(4)} ${fmt(r.rps).padStart(9)} ${`${fmt(r.min)}–${fmt(r.max)}`.padStart(15)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${String(r.bad).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.connects).padStart(9)}`);
  }
  out.push('');
  for (const c of [8, 64]) {
    const get = (t: string) => results.find((r) => r.c === c && r.target.startsWith(t))?.rps ?? NaN;
    const bare = get('bare');
    out.push(
      `c=${c}: mock/bare = ${fmt(get('mock (') / bare, 2)} (target ≥ 0.50), msw/bare = ${fmt(get('mock via msw') / bare, 2)}` +
        (registry !== undefined ? `, mock/docker-registry = ${fmt(get('mock (') / get('docker-registry'), 1)}×` : ', docker-registry not installed'),
    );
  }
  out.push(served);
  if (registry === undefined) out.push('(docker-registry figures skipped: /usr/bin/docker-registry not found or failed to start)');
  process.stdout.write(out.join('\n') + '\n');
}

await main();
