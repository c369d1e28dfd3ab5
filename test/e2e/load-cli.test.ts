/**
 * `node bin/pullpath.js load` end to end: a shipped scenario with a fault timeline (the mirror's port
 * closes at t = 1 s), JSON report whose counts add up and whose failing window matches the timeline,
 * and the loopback safety rule.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadSummary } from '../../src/load/load-summary.ts';

const ROOT = join(import.meta.dirname, '../..');

function cli(args: string[], home = tmpdir()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'load', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: home, CI: 'true' }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('pullpath load', () => {
  it('runs a scenario timeline: counts add up and the mirror fails from its outage on', async () => {
    const r = await cli(['--scenario', 'scenarios/mirror-outage-timeline.toml', '--concurrency', '4', '--duration', '2.5', '--output', 'json']);
    expect(r.code).toBe(0);
    // The JSON names endpoints by `location`, as every command's output does (schemas/load.schema.json).
    const s = JSON.parse(r.stdout.trim()) as Omit<LoadSummary, 'perEndpoint'> & { type: string; perEndpoint: (Omit<LoadSummary['perEndpoint'][number], 'endpoint'> & { location: string })[] };
    expect(s.type).toBe('load');
    const failed = Object.values(s.failures).reduce((a, b) => a + b, 0);
    expect(s.requests).toBeGreaterThan(20);
    expect(s.successes + failed).toBe(s.requests);
    expect(s.digestMismatches).toBe(0);
    const fault = s.faults.find((f) => f.registry === 'mirror.corp.example.com:5000')!;
    expect(fault).toMatchObject({ kind: 'refuse', toMs: null });
    const mirror = s.perEndpoint.find((e) => e.location === 'mirror.corp.example.com:5000/acme')!;
    // Before the outage the mirror serves; from it on, every attempt fails (within 300 ms of the window's start).
    expect(mirror.ok).toBeGreaterThan(0);
    expect(Math.abs(mirror.failingFromMs! - fault.fromMs)).toBeLessThan(300);
    expect(s.winners['quay.io/acme']).toBeGreaterThan(0);
    expect(Object.keys(s.failover)).toContain('refuse');
  });

  it('--debug writes the runtime\'s lines for every pull and an HTTP trace to stderr', async () => {
    const r = await cli(['--scenario', 'scenarios/mirror-outage-timeline.toml', '--rate', '5', '--duration', '2.5', '--debug', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('level=debug msg="Trying to access \\"mirror.corp.example.com:5000/acme/app:1.4\\""');
    // From the outage on (t = 1 s) the mirror refuses: the runtime's failure line for it.
    expect(r.stderr).toMatch(/level=debug msg="Accessing \\"mirror\.corp\.example\.com:5000\/acme\/app:1\.4\\" failed: pinging container registry mirror\.corp\.example\.com:5000: .*connection refused"/);
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET https:\/\/mirror\.corp\.example\.com:5000\/v2\/ -> 200 OK in /);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ type: 'load' });
  });

  it('refuses endpoints outside loopback without --i-know-this-is-not-loopback (exit 2)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-load-'));
    const conf = join(home, 'registries.conf');
    await writeFile(conf, '[[registry]]\nlocation = "quay.io/org"\n');
    const r = await cli(['--registries-conf', conf, '--registries-conf-dir', join(home, 'none.d'), 'quay.io/org/app:1', '--max-requests', '1'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not on loopback: quay\.io.*--i-know-this-is-not-loopback/);
  });

  it('needs a bound', async () => {
    const r = await cli(['--scenario', 'scenarios/mirror-outage-timeline.toml', '--duration', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--duration 0 needs --max-requests/);
  });

  it('--connections caps connections per endpoint: pulls beyond it wait in the generator, and the wait counts', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-load-'));
    const scenario = join(home, 'slow.toml');
    const q = "'''";
    await writeFile(
      scenario,
      [
        'name = "slow"',
        '[config]',
        `registries-conf = ${q}`,
        '[[registry]]',
        'location = "slow.example.com"',
        'insecure = true',
        q,
        '[[registry]]',
        'host = "slow.example.com"',
        'tls = false',
        'images = [{ repository = "acme/app", tags = ["1.4"] }]',
        'faults = [{ kind = "latency", ms = 600, route = "manifest" }]',
        '[[pull]]',
        'ref = "slow.example.com/acme/app:1.4"',
        'timeout-ms = 20000',
      ].join('\n'),
    );
    // 4 pulls scheduled at once on one connection: each manifest GET waits for the ones before (4 × 600 ms).
    const r = await cli(['--scenario', scenario, '--rate', '1000', '--max-requests', '4', '--duration', '0', '--connections', '1', '--output', 'json'], home);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout.trim()) as LoadSummary;
    expect(s.successes).toBe(4);
    expect(s.latency.maxMs).toBeGreaterThanOrEqual(4 * 600);
    const bad = await cli(['--scenario', scenario, '--max-requests', '1', '--connections', 'many'], home);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--connections/);
  });
});
