/**
 * `npm run bench`: runs every benchmark the README quotes, one after another, and writes bench/RESULTS.md with
 * the machine (CPU model, cores, RAM), the Node version, the date, the load average before and after (and the
 * highest seen while running), and each script's printed figures. Every script prints its own anchor measured
 * in the same run; this runner only collects.
 *
 * The sample sizes are trimmed (the arguments below) so the whole run stays within about 6 minutes on this
 * project's 2-core machine; each script's own defaults (see its header) take longer and give tighter figures.
 * A script missing from this checkout (e.g. bench/batch.ts before its branch is merged) is listed as skipped.
 *
 * Run: npm run bench   (BENCH_ONLY=startup,resolve for some of them; BENCH_OUT=FILE to write elsewhere)
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';

interface Bench {
  file: string;
  args?: string[];
  env?: Record<string, string>;
  /** Killed after this long (the runner goes on with the next). */
  timeoutS: number;
  what: string;
}

const BENCHES: Bench[] = [
  { file: 'startup.ts', env: { ROUNDS: '25' }, timeoutS: 120, what: 'CLI start-up and exit: resolve, pull, --help vs node -e 0 and skopeo (issue 14)' },
  { file: 'batch.ts', timeoutS: 240, what: 'batch pulls vs skopeo per image, CPU per image (issue 14)' },
  { file: 'resolve.ts', args: ['--rounds', '2'], timeoutS: 240, what: 'resolution throughput, 10 / 1,000 / 10,000 entries' },
  { file: 'config-load.ts', timeoutS: 60, what: 'config load, 10,000 entries' },
  { file: 'mock.ts', args: ['1', '2'], timeoutS: 90, what: 'mock registry vs bare node:http, msw, docker-registry' },
  { file: 'load.ts', env: { ROUNDS: '1', DUR: '4', MEM_RATES: '1000,10000' }, timeoutS: 360, what: 'pull engine under load: rate, 10,000 in flight (memory), failover' },
  { file: 'pull-engine.ts', env: { RUNS: '60', DUR: '2' }, timeoutS: 60, what: 'pull per image in-process: direct / refused mirror / 404 mirror' },
  { file: 'skopeo-compare.ts', env: { RUNS: '7' }, timeoutS: 60, what: 'skopeo vs pullpath pull, process with process' },
  { file: 'verify.ts', env: { N: '1000' }, timeoutS: 60, what: 'verify, 1,000 images, --jobs 32' },
  { file: 'verify-signatures.ts', env: { N: '1000', ROUNDS: '2' }, timeoutS: 90, what: 'verify with signature checks' },
  { file: 'openshift-render.ts', timeoutS: 60, what: 'OpenShift render, 1,000 IDMS rules' },
  { file: 'tui-render.tsx', timeoutS: 60, what: 'TUI over a 1,000-image event stream' },
  { file: 'diff.ts', args: ['--rounds', '3'], timeoutS: 120, what: 'diff of two 10,000-entry configurations' },
  { file: 'explain.ts', timeoutS: 30, what: 'explain, parse per event' },
  { file: 'signatures.ts', env: { N: '2000', ROUNDS: '3' }, timeoutS: 60, what: 'sigstore verifications per second vs raw crypto.verify' },
  { file: 'signatures-gpg.ts', args: ['300'], timeoutS: 60, what: 'GPG verifications per second vs openpgp.js' },
  { file: 'resolve-containerd.ts', timeoutS: 240, what: 'containerd model: resolutions at 10 / 1,000 / 10,000 hosts directories, tree read vs registries.conf (issue 16)' },
  { file: 'proxy-overhead.ts', env: { RUNS: '40' }, timeoutS: 120, what: 'pull through squid vs direct (issue 15)' },
  { file: 'load-merge.ts', timeoutS: 120, what: 'load merge: 16 shard reports of 100,000 pulls (issue 17)' },
  { file: 'fleet.ts', env: { NODES: '10', WARM: '15', WINDOW: '40', VARIANTS: 'default=' }, timeoutS: 180, what: 'probe per node: RSS, CPU, scrape size, with Prometheus when installed (issue 17)' },
];

const BENCH_DIR = import.meta.dirname;
const ROOT = join(BENCH_DIR, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const OUT = process.env.BENCH_OUT ?? join(BENCH_DIR, 'RESULTS.md');
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().replace(/\.tsx?$/, ''));

interface Outcome {
  bench: Bench;
  status: 'ok' | 'failed' | 'timed out' | 'skipped';
  note?: string;
  seconds: number;
  loadStart: number;
  output: string;
}

/** The running script's process group: each script runs in its own (detached), so Ctrl-C must be passed on. */
let running: number | undefined;
process.on('SIGINT', () => {
  if (running !== undefined) {
    try {
      process.kill(-running, 'SIGINT');
    } catch {
      // already gone
    }
  }
  process.exit(130);
});

function runOne(b: Bench): Promise<Omit<Outcome, 'bench' | 'loadStart'>> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(TSX, [join(BENCH_DIR, b.file), ...(b.args ?? [])], { cwd: ROOT, env: { ...process.env, ...b.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = p.pid;
    let output = '';
    const take = (d: Buffer) => {
      output += d;
      process.stdout.write(d);
    };
    p.stdout.on('data', take);
    p.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-p.pid!, 'SIGKILL'); // the script and what it started (registries, CLI processes)
      } catch {
        p.kill('SIGKILL');
      }
    }, b.timeoutS * 1000);
    p.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      const seconds = (performance.now() - t0) / 1000;
      if (timedOut) resolve({ status: 'timed out', note: `killed after ${b.timeoutS} s`, seconds, output });
      else resolve({ status: code === 0 ? 'ok' : 'failed', ...(code !== 0 ? { note: `exit ${code}` } : {}), seconds, output });
    });
  });
}

/** The output without terminal control sequences (the TUI bench hides and shows the cursor). */
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r(?!\n)/g, '\n');

const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

async function main(): Promise<void> {
  // The checkout's CLI bundle, built now if stale, so no script times a build.
  await new Promise((resolve) => spawn(process.execPath, [join(ROOT, 'bin', 'build-cli.mjs'), '--checkout'], { stdio: 'inherit' }).on('close', resolve));
  const started = new Date();
  const loadBefore = load();
  let maxLoad = loadavg()[0]!;
  const sampler = setInterval(() => (maxLoad = Math.max(maxLoad, loadavg()[0]!)), 5000);
  const outcomes: Outcome[] = [];
  for (const b of BENCHES) {
    if (only && !only.includes(b.file.replace(/\.tsx?$/, ''))) continue;
    const loadStart = loadavg()[0]!;
    if (!existsSync(join(BENCH_DIR, b.file))) {
      const note = `bench/${b.file} is not in this checkout`;
      console.log(`== bench/${b.file}: skipped (${note})`);
      outcomes.push({ bench: b, status: 'skipped', note, seconds: 0, loadStart, output: '' });
      continue;
    }
    console.log(`== bench/${b.file} ${[...Object.entries(b.env ?? {}).map(([k, v]) => `${k}=${v}`), ...(b.args ?? [])].join(' ')}`);
    outcomes.push({ bench: b, loadStart, ...(await runOne(b)) });
  }
  clearInterval(sampler);
  const loadAfter = load();
  maxLoad = Math.max(maxLoad, loadavg()[0]!);
  const finished = new Date();
  writeFileSync(OUT, results(started, finished, loadBefore, loadAfter, maxLoad, outcomes));
  console.log(`\nbench: wrote ${relative(process.cwd(), OUT)} (${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s)`);
}

function results(started: Date, finished: Date, loadBefore: string, loadAfter: string, maxLoad: number, outcomes: Outcome[]): string {
  const cpu = cpus();
  const busy = Math.max(...[loadBefore, loadAfter].map((l) => Number(l.split(',')[0])), maxLoad) >= 1.5;
  const lines: string[] = ['# Benchmark results', ''];
  if (busy) {
    lines.push(
      `> **Warning: the machine was busy.** The 1-minute load average reached ${maxLoad.toFixed(2)} (≥ 1.5) during this run, on ${cpu.length} cores. Absolute figures can be far off; ratios to the anchors measured in the same run hold better. Rerun on a quiet machine before quoting absolute figures.`,
      '',
    );
  }
  lines.push(
    `Written by \`npm run bench\` (bench/run-all.ts). Every script measures its own anchor in the same run; sample sizes are trimmed to keep the whole run near 6 minutes (arguments below; each script's defaults are in its header).`,
    '',
    '| | |',
    '|---|---|',
    `| date | ${started.toISOString()} → ${finished.toISOString()} (${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s) |`,
    `| machine | ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM |`,
    `| node | ${process.version} (${process.platform} ${process.arch}) |`,
    `| load average (1, 5, 15 min) | before ${loadBefore}; after ${loadAfter}; highest 1-min seen ${maxLoad.toFixed(2)} |`,
    '',
    '| script | what | status | time | load at start |',
    '|---|---|---|---:|---:|',
  );
  for (const o of outcomes) {
    lines.push(`| \`bench/${o.bench.file}\` | ${o.bench.what} | ${o.status}${o.note ? ` (${o.note})` : ''} | ${o.seconds.toFixed(1)} s | ${o.loadStart.toFixed(2)} |`);
  }
  for (const o of outcomes) {
    if (o.status === 'skipped') continue;
    const cmd = [...Object.entries(o.bench.env ?? {}).map(([k, v]) => `${k}=${v}`), 'npx tsx', `bench/${o.bench.file}`, ...(o.bench.args ?? [])].join(' ');
    lines.push('', `## bench/${o.bench.file}`, '', `\`${cmd}\`: ${o.status}${o.note ? ` (${o.note})` : ''}, ${o.seconds.toFixed(1)} s, load average ${o.loadStart.toFixed(2)} at start.`, '', '```', plain(o.output).trimEnd(), '```');
  }
  return lines.join('\n') + '\n';
}

await main();
