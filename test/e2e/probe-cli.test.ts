/**
 * `node bin/pullpath.js probe` end to end against the real docker-registry: one pass as a table and as
 * JSON Lines (up, degraded, down), and --watch with --metrics-port scraped and parsed while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage, type RunningRegistry } from '../helpers/docker-registry.ts';
import { parsePromText, value } from '../probe/prom-text.ts';

const skip = dockerRegistrySkipReason();
if (skip) console.warn(`[probe-cli] skipped: ${skip}`);
const ROOT = join(import.meta.dirname, '../..');
const img = tinyImage('probe-canary');

let good: RunningRegistry;
let empty: RunningRegistry;
let dead: number;
let work: string;
let conf: string;
const env = () => ({ PATH: process.env.PATH ?? '', HOME: work, CI: 'true' });

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'probe', ...args], { cwd: ROOT, env: env(), timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-probe-'));
  [good, empty] = await Promise.all([startDockerRegistry(), startDockerRegistry()]);
  await pushImage(good.url, 'org/app', 'v1', img);
  dead = await freePort();
  conf = join(work, 'registries.conf');
  await writeFile(
    conf,
    `[[registry]]
prefix = "registry.example.com/org"
location = "registry.example.com/org"
insecure = true
[[registry.mirror]]
location = "empty.example.com/org"
insecure = true
[[registry.mirror]]
location = "dead.example.com/org"
insecure = true
`,
  );
});
afterAll(async () => {
  await Promise.all([good?.stop(), empty?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const base = () => [
  '--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), '--timeout', '3',
  '--connect-to', `registry.example.com:${good.addr}`, '--connect-to', `empty.example.com:${empty.addr}`, '--connect-to', `dead.example.com:127.0.0.1:${dead}`,
  '--canary', `registry.example.com/org=registry.example.com/org/app@${img.digest}`,
];

describe.skipIf(skip !== null)('pullpath probe against docker-registry', () => {
  it('probes every endpoint once: up, degraded (canary missing), down (refused); exit 1', async () => {
    const r = await cli([...base(), '--check-blob']);
    expect(r.code).toBe(1);
    // Too wide for 80 columns as a table: each endpoint is a record (its name, then "header value" lines).
    const lines = r.stdout.split('\n');
    const row = (ep: string) => {
      const at = lines.indexOf(ep);
      let end = at + 1;
      while (end < lines.length && lines[end]!.startsWith('    ')) end++;
      return lines.slice(at, end).join(' ').replace(/\s+/g, ' ');
    };
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    // The blob step is a 1-byte ranged GET: 206 from a registry that honours Range.
    expect(row('registry.example.com/org')).toMatch(/role primary.*state UP, ping ok 200.*manifest ok 200.*blob ok 206/);
    expect(row('empty.example.com/org')).toMatch(/role mirror.*state DEGRADED.*manifest not-found 404.*why manifest failed: not-found/);
    expect(row('dead.example.com/org')).toMatch(/role mirror.*state DOWN, ping refused/);
    expect(r.stdout).toMatch(/3 endpoint\(s\): 1 up, 1 degraded, 1 down/);
  });

  it('--debug traces every HTTP request to stderr', async () => {
    const r = await cli([...base(), '--debug']);
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET \S+registry\.example\.com\/v2\/ -> 200 OK in [\d.]+ m?s \(/);
    expect(r.stderr).toMatch(/level=debug msg="HTTP \S+ \S+dead\.example\.com\/v2\/ failed after [\d.]+ m?s: ECONNREFUSED/);
    expect(r.stdout).toMatch(/3 endpoint\(s\): 1 up, 1 degraded, 1 down/);
  });

  it('writes JSON Lines: one probe per endpoint and a pass summary', async () => {
    const r = await cli([...base(), '--output', 'json']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const probes = lines.filter((l) => l.type === 'probe');
    expect(probes.map((p) => [p.location, p.state]).sort()).toEqual([
      ['dead.example.com/org', 'down'], ['empty.example.com/org', 'degraded'], ['registry.example.com/org', 'up'],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'pass', round: 1, counts: { up: 1, degraded: 1, down: 1, unknown: 0 } });
  });

  it('serves Prometheus metrics on 127.0.0.1 while watching, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'probe', ...base(), '--watch', '--interval', '0.2', '--metrics-port', '0', '--output', 'json'], { cwd: ROOT, env: env() });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!(/metrics at (\S+)/.test(stderr) && (stdout.match(/"type":"pass"/g) ?? []).length >= 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /metrics at (\S+)/.exec(stderr)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await request(url);
      expect(res.statusCode).toBe(200);
      const { samples, types } = parsePromText(await res.body.text());
      expect(types.get('pullpath_probe_duration_seconds')).toBe('histogram');
      expect(value(samples, 'pullpath_probe_up', { endpoint: 'registry.example.com/org', role: 'primary' })).toBe(1);
      expect(value(samples, 'pullpath_probe_up', { endpoint: 'dead.example.com/org' })).toBe(0);
      expect(value(samples, 'pullpath_probe_health_state', { endpoint: 'empty.example.com/org', state: 'degraded' })).toBe(1);
      expect(value(samples, 'pullpath_probe_errors_total', { endpoint: 'dead.example.com/org', step: 'ping', class: 'refused' })).toBeGreaterThanOrEqual(2);
      expect(value(samples, 'pullpath_probe_probes_total', { endpoint: 'registry.example.com/org' })).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130); // stopped by SIGINT: 130 (128 + SIGINT), as every command, not a crash
  });

  it('--mirrors-only: the source is down as expected in a disconnected cluster; the mirror is up; exit 0', async () => {
    const disc = join(work, 'disconnected.conf');
    await writeFile(disc, `[[registry]]
prefix = "source.example.com/org"
location = "source.example.com/org"
[[registry.mirror]]
location = "registry.example.com/org"
insecure = true
`);
    const args = [
      '--registries-conf', disc, '--registries-conf-dir', join(work, 'none.d'), '--timeout', '3',
      '--connect-to', `registry.example.com:${good.addr}`, '--connect-to', `source.example.com:127.0.0.1:${dead}`,
      '--canary', `source.example.com/org=source.example.com/org/app@${img.digest}`,
    ];
    const without = await cli(args);
    expect(without.code).toBe(1); // the dead source fails the run without the flag
    const r = await cli([...args, '--mirrors-only', '--output', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.type === 'probe').map((p) => [p.location, p.state])).toEqual([['registry.example.com/org', 'up']]);
    const pass = lines.at(-1) as { skipped: { location: string; reason: string }[] };
    expect(pass.skipped).toEqual([expect.objectContaining({ location: 'source.example.com/org', reason: expect.stringMatching(/not probed with --mirrors-only/) })]);
    const text = await cli([...args, '--mirrors-only']);
    expect(text.stdout).toMatch(/skipped\s+source\.example\.com\/org: source of source\.example\.com\/org: not probed with --mirrors-only/);
  });
});
