/**
 * skopeo 1.9.3 vs `pullpath pull`, wall time per pull with process start included for both (that is what
 * a user feels), on the three anchor situations of bench/data/README.md (skopeo's figures) against docker-registry on
 * 127.0.0.1: (a) direct, (b) mirror 1 refused then mirror 2, (c) mirror 1 empty (404) then mirror 2.
 * Start-up alone (`skopeo --version`, `pullpath --help`) is measured beside them as the baseline.
 * Each command runs RUNS times (default 7) after one warm-up; the median and min–max are printed.
 * Asserts nothing. Run: npx tsx bench/skopeo-compare.ts   (RUNS=15 for more samples)
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage } from '../test/helpers/docker-registry.ts';
import { cleanEnv, PULLPATH_BIN, SKOPEO_BIN, skopeoSkipReason } from '../test/helpers/skopeo.ts';

const RUNS = Number(process.env.RUNS ?? 7);

function once(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(bin, args, { env, timeout: 60_000 }, (err) => {
      resolve({ ms: performance.now() - t0, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 });
    });
  });
}

async function measure(bin: string, args: string[], env: NodeJS.ProcessEnv, wantCode: number): Promise<string> {
  await once(bin, args, env); // warm-up (page cache, tsx's transform cache)
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await once(bin, args, env);
    if (r.code !== wantCode) return `exit ${r.code}, expected ${wantCode}: not timed`;
    xs.push(r.ms);
  }
  xs.sort((a, b) => a - b);
  const med = xs[Math.floor(xs.length / 2)]!;
  return `median ${med.toFixed(1).padStart(7)} ms   (min ${xs[0]!.toFixed(1)}, max ${xs[xs.length - 1]!.toFixed(1)}, n=${xs.length})`;
}

async function main(): Promise<void> {
  const skip = skopeoSkipReason() ?? dockerRegistrySkipReason();
  if (skip) {
    console.log(`skopeo-compare: skipped: ${skip}`);
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'pp-skopeo-bench-'));
  const home = join(work, 'home');
  await mkdir(home);
  const env = cleanEnv(home);
  const [A, C] = await Promise.all([startDockerRegistry(), startDockerRegistry()]);
  try {
    await pushImage(A.url, 'lib/hello', 'v1', tinyImage());
    const refused = `127.0.0.1:${await freePort()}`;
    const primary = `127.0.0.1:${await freePort()}`; // never reached: a mirror answers first
    const confs = {
      '(a) direct': '',
      '(b) mirror refused, then mirror 2': `[[registry]]\nlocation = "${primary}"\n[[registry.mirror]]\nlocation = "${refused}"\n[[registry.mirror]]\nlocation = "${A.addr}"\n`,
      '(c) mirror 404, then mirror 2': `[[registry]]\nlocation = "${primary}"\n[[registry.mirror]]\nlocation = "${C.addr}"\n[[registry.mirror]]\nlocation = "${A.addr}"\n`,
    };
    console.log(`skopeo ${SKOPEO_BIN} vs node ${PULLPATH_BIN}; ${RUNS} runs each after a warm-up; wall time incl. process start`);
    console.log(`start-up   skopeo --version          ${await measure(SKOPEO_BIN, ['--version'], env, 0)}`);
    console.log(`start-up   pullpath --help           ${await measure(process.execPath, [PULLPATH_BIN, '--help'], env, 0)}`);
    for (const [name, text] of Object.entries(confs)) {
      const conf = join(work, `${name.slice(1, 2)}.conf`);
      await writeFile(conf, text);
      const ref = `docker://${name.startsWith('(a)') ? A.addr : primary}/lib/hello:v1`;
      console.log(`${name}`);
      console.log(`  skopeo inspect --raw             ${await measure(SKOPEO_BIN, ['--registries-conf', conf, 'inspect', '--raw', '--tls-verify=false', ref], env, 0)}`);
      console.log(`  pullpath pull --output json      ${await measure(process.execPath, [PULLPATH_BIN, 'pull', '--registries-conf', conf, '--output', 'json', '--tls-verify=false', ref], env, 0)}`);
    }
  } finally {
    await Promise.all([A.stop(), C.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
