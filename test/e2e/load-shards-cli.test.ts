/**
 * `pullpath load --shard I/N` for real: N shard processes (bin/pullpath.js) against one set of mock registries
 * on loopback add up to the run of one process — requests, successes and failures by class, winners, attempts
 * per endpoint — and the mocks' own request counts match what the merged report says was sent. A shard's live
 * Prometheus histograms are scraped while it runs and agree with its final report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import type { MockRegistryStats } from '../../src/mock/stats.ts';
import { hermeticEnv, repoRoot, runCli, type CliResult } from '../helpers/run-cli.ts';
import { LOAD_BUCKETS_SECONDS } from '../../src/report/load-prometheus.ts';

const img = (repository: string) => ({ repository, tags: ['1'], content: repository });
// app: the mirror serves it; db: only the source has it (failover); missing: nobody has it (not-found).
const REFS = ['source.example.com/org/app:1', 'source.example.com/org/db:1', 'source.example.com/org/missing:1'];
const N = 3;
const TOTAL = 31; // not a multiple of N: the remainder goes to the lowest shards

let mocks: MockRegistrySet;
let work: string;
let conf: string;

const connectTo = () => mocks.registries.flatMap((r) => ['--connect-to', `${r.host}:${r.address}`]);
const loadArgs = () => ['load', '--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), ...connectTo(), '--rate', '200', '--max-requests', String(TOTAL), '--duration', '0', '--no-tui', '--output', 'json', ...REFS];
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: hermeticEnv(work), timeoutMs: 60_000 });

/** Manifest requests the mocks answered, per host (every attempt asks for the manifest once). */
function manifestRequests(stats: MockRegistryStats[]): Record<string, number> {
  return Object.fromEntries(stats.map((s) => [s.host, s.byRoute.filter((r) => r.route.includes('manifest')).reduce((a, r) => a + r.count, 0)]));
}
const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));

interface Rec {
  requests: number; successes: number; failures: Record<string, number>; winners: Record<string, number>;
  perEndpoint: { location: string; attempts: number; ok: number; failed: number; errors: Record<string, number> }[];
  shard?: { index: number; count: number; runId: string; images: number[] };
  shards?: { count: number; merged: number[]; missing: number[] };
  latency: { count: number };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-shards-'));
  mocks = await startMockRegistries([
    { host: 'mirror.example.com', images: [img('org/app')] },
    { host: 'source.example.com', images: [img('org/app'), img('org/db')] },
  ]);
  conf = join(work, 'registries.conf');
  await writeFile(conf, `[[registry]]\nlocation = "source.example.com/org"\ninsecure = true\n[[registry.mirror]]\nlocation = "mirror.example.com/org"\ninsecure = true\n`);
}, 60_000);
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('load --shard I/N: real processes against one mock', () => {
  it(`${N} shards add up to one process's run, and to what the mocks served; load merge combines them`, async () => {
    const before = manifestRequests(mocks.stats());
    const single = await cli(loadArgs());
    expect(single.code, single.stderr).toBe(0);
    const one = JSON.parse(single.stdout) as Rec;
    const afterSingle = manifestRequests(mocks.stats());

    const shards = await Promise.all(Array.from({ length: N }, (_, i) => cli([...loadArgs(), '--shard', `${i}/${N}`])));
    const afterShards = manifestRequests(mocks.stats());
    const recs = shards.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Rec;
    });
    // Each shard: its share of the slots (11, 10, 10), one run id.
    expect(recs.map((r) => r.requests)).toEqual([11, 10, 10]);
    expect(new Set(recs.map((r) => r.shard!.runId)).size).toBe(1);

    const files: string[] = [];
    for (const [i, r] of shards.entries()) {
      files.push(join(work, `shard-${i}.json`));
      await writeFile(files[i]!, r.stdout);
    }
    const merge = await cli(['load', 'merge', '--output', 'json', ...files]);
    expect(merge.code, merge.stderr).toBe(0);
    const merged = JSON.parse(merge.stdout) as Rec;
    expect(merged.shards).toEqual({ count: N, runId: recs[0]!.shard!.runId, merged: [0, 1, 2], missing: [] });

    // The merged run is the single run: same pulls, same outcomes, same winners, same attempts per endpoint.
    const figures = (r: Rec) => ({
      requests: r.requests, successes: r.successes, failures: r.failures, winners: r.winners, latencyCount: r.latency.count,
      endpoints: r.perEndpoint.map((e) => ({ location: e.location, attempts: e.attempts, ok: e.ok, failed: e.failed, errors: e.errors })),
    });
    expect(figures(merged)).toEqual(figures(one));
    expect(merged.requests).toBe(TOTAL);
    expect(merged.successes + Object.values(merged.failures).reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(Object.keys(merged.winners).sort()).toEqual(['mirror.example.com/org', 'source.example.com/org']);
    expect(merged.failures['not-found']).toBeGreaterThan(0);

    // Server side: the mocks answered as many manifest requests to the shards as to the one process, and as
    // many as the merged report counts attempts on each registry.
    const sentByShards = minus(afterShards, afterSingle);
    expect(sentByShards).toEqual(minus(afterSingle, before));
    const attemptsOn = (host: string) => merged.perEndpoint.filter((e) => e.location.startsWith(`${host}/`)).reduce((a, e) => a + e.attempts, 0);
    expect(sentByShards['mirror.example.com']).toBe(attemptsOn('mirror.example.com'));
    expect(sentByShards['source.example.com']).toBe(attemptsOn('source.example.com'));

    // The text report of the merge is the one-process text report's shape.
    const text = await cli(['load', 'merge', ...files]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^${TOTAL} pulls`));
    expect(text.stdout).toMatch(/^WON BY +PULLS +SHARE/m);
  }, 120_000);

  it('--shard and the metrics flags: usage errors (exit 2) that say what to give', async () => {
    const cases: [string[], RegExp][] = [
      [['--shard', '3/3'], /--shard 3\/3: the index is 0-based \(0 to 2\).*did you count from 1\? use 2\/3/],
      [['--shard', '$(JOB_COMPLETION_INDEX)/3'], /JOB_COMPLETION_INDEX was not set; run the pod from a Job with completionMode: Indexed/],
      [['--shard', '0/40'], /--max-requests 31 cannot be split over 40 shards/],
      [['--shard', '0/3', '--concurrency', '2'], /--concurrency 2 cannot be split over 3 shards/],
      [['--metrics-host', '0.0.0.0'], /--metrics-host needs --metrics-port/],
      [['--metrics-port', '70000'], /--metrics-port: expected a port 0-65535/],
    ];
    const results = await Promise.all(cases.map(([extra]) => cli([...loadArgs().filter((a) => a !== '--rate' && a !== '200'), ...extra])));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
    const noFiles = await cli(['load', 'merge']);
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toContain('load merge: give the shard reports to merge');
  }, 120_000);

  it('load merge refuses what is not one run: a missing shard (unless --allow-partial), a duplicate, another run, a bad file', async () => {
    const run = (extra: string[]) => cli([...loadArgs().map((a) => (a === String(TOTAL) ? '6' : a)), ...extra]);
    const [s0, s1] = await Promise.all([run(['--shard', '0/2']), run(['--shard', '1/2'])]);
    const other = await run(['--shard', '1/2', '--rate', '150']);
    const f = async (name: string, text: string) => {
      const p = join(work, name);
      await writeFile(p, text);
      return p;
    };
    const a = await f('m0.json', s0.stdout);
    const b = await f('m1.json', s1.stdout);
    const c = await f('other.json', other.stdout);
    const plain = await f('plain.json', (await cli(loadArgs().map((x) => (x === String(TOTAL) ? '3' : x)))).stdout);
    const cut = await f('cut.json', `starting\n${s0.stdout.slice(0, 200)}\n`);

    const missing = await cli(['load', 'merge', a]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard 1 of 2 \(have 0\).*--allow-partial/);
    const partial = await cli(['load', 'merge', '--allow-partial', '-o', 'json', a]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/warning: missing shard 1 of 2/);
    expect(JSON.parse(partial.stdout)).toMatchObject({ requests: 3, shards: { merged: [0], missing: [1] } });
    const dup = await cli(['load', 'merge', a, b, a]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(`shard 0/2 is given twice: ${a} and ${a}`);
    const mixed = await cli(['load', 'merge', a, c]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${a} and ${c} are shards of different runs`);
    const unsharded = await cli(['load', 'merge', plain]);
    expect(unsharded.code).toBe(2);
    expect(unsharded.stderr).toContain(`${plain}: a load report without "shard" and "recorder"`);
    const truncated = await cli(['load', 'merge', cut]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain(`${cut}:2: not valid JSON`);
    const absent = await cli(['load', 'merge', join(work, 'nope.json')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('nope.json: cannot read (no such file)');
    // `kubectl logs` style: the reports among other lines, several in one file.
    const logs = await f('logs.txt', `pullpath load: metrics at http://0.0.0.0:9464/metrics\n${s1.stdout}level=warning msg="x"\n${s0.stdout}`);
    const fromLogs = await cli(['load', 'merge', '-o', 'json', logs]);
    expect(fromLogs.code, fromLogs.stderr).toBe(0);
    expect(JSON.parse(fromLogs.stdout)).toMatchObject({ requests: 6, shards: { merged: [0, 1], missing: [] } });
  }, 120_000);

  it('serves live Prometheus histograms while running; after the run they hold exactly the report\'s counts', async () => {
    // 40 slots at 10/s, of which shard 1/2 takes 20: about 4 s of pulls, then the metrics stay up 30 s.
    const args = loadArgs().map((a) => (a === String(TOTAL) ? '40' : a === '200' ? '10' : a));
    const child = spawn(process.execPath, ['bin/pullpath.js', ...args, '--shard', '1/2', '--metrics-port', '0', '--metrics-linger', '30'], {
      cwd: repoRoot, env: hermeticEnv(work), stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      let stdout = '';
      child.stdout!.on('data', (d) => (stdout += d));
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr!.on('data', (d) => {
          stderr += d;
          const m = /metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.once('exit', () => reject(new Error(`exited before serving metrics: ${stderr}`)));
      });
      // While running, scrape until pulls have been counted, the mirror's too (shard 1/2's first slot is db, which
      // only the source serves; app, which the mirror serves, comes one slot later).
      let live = '';
      const counted = (text: string) =>
        /pullpath_load_pull_duration_seconds_count\{result="ok"\} [1-9]/.test(text) &&
        /pullpath_load_attempt_duration_seconds_count\{endpoint="mirror\.example\.com\/org",outcome="ok"\} [1-9]/.test(text);
      for (let i = 0; i < 200 && !counted(live); i++) {
        await new Promise((r) => setTimeout(r, 50));
        live = await (await fetch(url)).text();
      }
      expect(stdout).toBe(''); // still running: no report yet
      expect(live).toMatch(/pullpath_load_shard_info\{shard="1",shards="2",run_id="[0-9a-f]{16}"\} 1/);
      expect(live).toMatch(/pullpath_load_pull_duration_seconds_count\{result="ok"\} [1-9]/);
      expect(live).toMatch(/pullpath_load_attempt_duration_seconds_bucket\{le="0.005",endpoint="mirror.example.com\/org",outcome="ok"\} \d+/);
      // The same fixed buckets in every shard, so Prometheus can sum them by le.
      const les = [...live.matchAll(/pullpath_load_pull_duration_seconds_bucket\{le="([^"]+)",result="ok"\}/g)].map((m) => m[1]);
      expect(les).toEqual([...LOAD_BUCKETS_SECONDS.map(String), '+Inf']);

      // After the run (report printed, metrics lingering): the scrape holds exactly the report's counts.
      for (let i = 0; i < 600 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
      const rep = JSON.parse(stdout) as Rec;
      const last = await (await fetch(url)).text();
      const series = (name: string, label: string) =>
        Object.fromEntries([...last.matchAll(new RegExp(`^${name}\\{${label}="([^"]+)"\\} (\\d+)$`, 'gm'))].map((m) => [m[1]!, Number(m[2])]));
      const byResult = series('pullpath_load_pull_duration_seconds_count', 'result');
      expect(byResult).toEqual({ ...(rep.successes > 0 ? { ok: rep.successes } : {}), ...rep.failures });
      expect(series('pullpath_load_wins_total', 'endpoint')).toEqual(rep.winners);
      expect(last).toMatch(/^pullpath_load_in_flight 0$/m);
      expect(rep.requests).toBe(20);
      child.kill('SIGINT'); // ends the linger
      await new Promise((r) => child.once('exit', r));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
