/**
 * Start-up and exit of the CLI as a user runs it, one process per command, against `node -e 0` (the anchor)
 * and `skopeo inspect --raw` of the same image, all measured in one run and interleaved: every round runs each
 * command once, in a rotated order, so a burst of load from other jobs lands on all of them alike.
 *
 * - `pullpath resolve REF` (offline, a registries.conf with one mirror)
 * - `pullpath pull docker://127.0.0.1:PORT/lib/hello:v1` against a docker-registry this script starts on loopback
 *   and pushes a one-layer image to (over the registry API)
 * - `pullpath --help`
 * - `resolve` and `pull` again with PULLPATH_CODE_CACHE=0: what the first run after a build costs, before
 *   bin/run-bundle.js has written the bundle's V8 code cache (the warm-up round writes it for the other rows)
 * - `node -e 0` without NODE_EXTRA_CA_CERTS, when it is set: Node reads that file at every start, the anchor's
 *   included, so the reader sees how much of the anchor it is
 *
 * Beside the wall time, each command's mean CPU time (user + system, from /proc): other jobs on the machine
 * inflate it much less than the wall time, so it shows what changed when the machine is busy.
 *
 * Targets (issue 14), by the ratio of medians to `node -e 0`: resolve ≤ 1.4×, pull ≤ 2×, --help ≤ 1.1×. They are
 * printed with met / not met, never asserted.
 * Run: npx tsx bench/startup.ts   (ROUNDS=40 for more samples; default 25)
 * COMPARE_BIN=OTHER/bin/pullpath.js adds the same three pullpath rows run through another checkout's launcher
 * (e.g. an export of an older commit), interleaved with these: a before/after under the same load.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRegistrySkipReason, pushImage, startDockerRegistry, tinyImage } from '../test/helpers/docker-registry.ts';
import { cleanEnv, PULLPATH_BIN, SKOPEO_BIN, skopeoSkipReason } from '../test/helpers/skopeo.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 25);

interface Case {
  name: string;
  bin: string;
  args: string[];
  /** What a correct run prints on stdout (a run without it is a failed run, not a fast one). */
  expect?: string;
  ms: number[];
  /** CPU time (user + system) of each run, ms: less sensitive than wall time to other jobs on the machine. */
  cpu: number[];
  /** Environment variables set for this command only. */
  env?: Record<string, string>;
}

/** CPU time of this process's reaped children so far, ms (Linux /proc; clock ticks of 10 ms, so only a mean over many runs is meaningful). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime (fields 16, 17), USER_HZ = 100
  } catch {
    return NaN;
  }
}

/** Wall time of one process, spawn to exit, with its output collected. */
function once(c: Case, env: NodeJS.ProcessEnv): Promise<{ ms: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const p = spawn(c.bin, c.args, { env: c.env === undefined ? env : { ...env, ...c.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 || (c.expect !== undefined && !out.includes(c.expect))) {
        reject(new Error(`${c.name}: exit ${code}; stdout: ${out.slice(0, 400)} stderr: ${err.slice(0, 400)}`));
      } else resolve({ ms, cpu: childrenCpuMs() - cpu0 });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const skip = dockerRegistrySkipReason() ?? skopeoSkipReason();
  const work = await mkdtemp(join(tmpdir(), 'pp-startup-bench-'));
  const home = join(work, 'home');
  await mkdir(home);
  const env = cleanEnv(home);
  const conf = join(work, 'registries.conf');
  const dropins = join(work, 'none.d');
  await writeFile(conf, '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\n');
  const confFlags = ['--registries-conf', conf, '--registries-conf-dir', dropins];
  const cases: Case[] = [
    { name: 'node -e 0', bin: process.execPath, args: ['-e', '0'], ms: [], cpu: [] },
    { name: 'pullpath --help', bin: process.execPath, args: [PULLPATH_BIN, '--help'], expect: 'Commands:', ms: [], cpu: [] },
    { name: 'pullpath resolve REF', bin: process.execPath, args: [PULLPATH_BIN, 'resolve', ...confFlags, 'quay.io/acme/app:1.4'], expect: 'mirror.example.com/acme/app:1.4', ms: [], cpu: [] },
    // What the first run after a build costs (bin/run-bundle.js writes the code cache at the end of that run).
    { name: 'resolve, no code cache', bin: process.execPath, args: [PULLPATH_BIN, 'resolve', ...confFlags, 'quay.io/acme/app:1.4'], env: { PULLPATH_CODE_CACHE: '0' }, expect: 'mirror.example.com/acme/app:1.4', ms: [], cpu: [] },
  ];
  // Node reads every certificate of NODE_EXTRA_CA_CERTS at start-up, before any code runs (on this project's
  // machines /etc/ssl/certs/ca-certificates.crt: about 45 ms). The anchor pays it as every pullpath run does;
  // this row shows what `node -e 0` costs without it, for the reader (the targets use the anchor above).
  const extraCa = env.NODE_EXTRA_CA_CERTS;
  if (extraCa !== undefined && extraCa !== '') cases.push({ name: 'node -e 0, no extra CA', bin: process.execPath, args: ['-e', '0'], env: { NODE_EXTRA_CA_CERTS: '' }, ms: [], cpu: [] });
  const other = process.env.COMPARE_BIN;
  if (other !== undefined) {
    cases.push({ name: 'other --help', bin: process.execPath, args: [other, '--help'], expect: 'Commands:', ms: [], cpu: [] });
    cases.push({ name: 'other resolve REF', bin: process.execPath, args: [other, 'resolve', ...confFlags, 'quay.io/acme/app:1.4'], expect: 'mirror.example.com/acme/app:1.4', ms: [], cpu: [] });
  }
  const registry = skip === null ? await startDockerRegistry() : null;
  try {
    if (registry !== null) {
      const image = await pushImage(registry.url, 'lib/hello', 'v1', tinyImage());
      const ref = `docker://${registry.addr}/lib/hello:v1`;
      await writeFile(join(work, 'empty.conf'), '');
      const pullConf = ['--registries-conf', join(work, 'empty.conf'), '--registries-conf-dir', dropins];
      cases.push({ name: 'pullpath pull IMAGE', bin: process.execPath, args: [PULLPATH_BIN, 'pull', ...pullConf, '--tls-verify=false', '--output', 'json', ref], expect: image.digest, ms: [], cpu: [] });
      cases.push({ name: 'pull, no code cache', bin: process.execPath, args: [PULLPATH_BIN, 'pull', ...pullConf, '--tls-verify=false', '--output', 'json', ref], env: { PULLPATH_CODE_CACHE: '0' }, expect: image.digest, ms: [], cpu: [] });
      if (other !== undefined) cases.push({ name: 'other pull IMAGE', bin: process.execPath, args: [other, 'pull', ...pullConf, '--tls-verify=false', '--output', 'json', ref], expect: image.digest, ms: [], cpu: [] });
      cases.push({ name: 'skopeo inspect --raw', bin: SKOPEO_BIN, args: ['--registries-conf', join(work, 'empty.conf'), 'inspect', '--raw', '--tls-verify=false', ref], expect: '"schemaVersion"', ms: [], cpu: [] });
    } else {
      console.log(`startup: pull and skopeo rows skipped: ${skip}`);
    }
    const load0 = loadavg()[0]!;
    for (const c of cases) await once(c, env); // warm-up: page cache, the checkout's bundle
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i + r) % cases.length]!;
        const run = await once(c, env);
        c.ms.push(run.ms);
        c.cpu.push(run.cpu);
      }
    }
    const load1 = loadavg()[0]!;
    const anchor = median(cases[0]!.ms);
    const skopeo = cases.find((c) => c.name.startsWith('skopeo'));
    const skopeoMed = skopeo ? median(skopeo.ms) : undefined;
    console.log(`startup: ${ROUNDS} interleaved rounds after one warm-up; wall time spawn to exit; node ${process.version}; load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
    console.log(`NODE_EXTRA_CA_CERTS: ${extraCa ? `${extraCa} (read by every node process at start-up, the anchor included)` : 'unset'}; code caches: written by the warm-up run, used after (rows "no code cache": PULLPATH_CODE_CACHE=0, as a first run after a build)`);
    const anchorCpu = mean(cases[0]!.cpu);
    console.log(`${'command'.padEnd(24)} ${'median'.padStart(9)} ${'mean'.padStart(9)} ${'min'.padStart(8)}  ${'× node -e 0'.padStart(11)}  ${'× skopeo'.padStart(8)}  ${'CPU mean'.padStart(9)}  ${'× node'.padStart(6)}`);
    for (const c of cases) {
      const med = median(c.ms);
      const vsSkopeo = skopeoMed !== undefined ? `${(med / skopeoMed).toFixed(2)}×` : '—';
      console.log(`${c.name.padEnd(24)} ${med.toFixed(1).padStart(6)} ms ${mean(c.ms).toFixed(1).padStart(6)} ms ${Math.min(...c.ms).toFixed(1).padStart(5)} ms  ${(med / anchor).toFixed(2).padStart(10)}×  ${vsSkopeo.padStart(8)}  ${mean(c.cpu).toFixed(1).padStart(6)} ms  ${(mean(c.cpu) / anchorCpu).toFixed(2).padStart(5)}×`);
    }
    const targets: [string, number][] = [
      ['pullpath resolve REF', 1.4],
      ['pullpath pull IMAGE', 2],
      ['pullpath --help', 1.1],
    ];
    for (const [name, limit] of targets) {
      const c = cases.find((x) => x.name === name);
      if (c === undefined) {
        console.log(`target: ${name} ≤ ${limit}× node -e 0: not measured`);
        continue;
      }
      const ratio = median(c.ms) / anchor;
      console.log(`target: ${name} ≤ ${limit}× node -e 0 (median): ${ratio.toFixed(2)}× — ${ratio <= limit ? 'met' : 'NOT met'}`);
    }
  } finally {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
