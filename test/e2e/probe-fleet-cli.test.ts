/**
 * `probe --watch --metrics-port` as the fleet DaemonSet runs it, end to end against the project's mock on
 * loopback: the node label from $NODE_NAME (the downward API), the TLS expiry of the chain the probe was
 * served, per-prefix reachability and failover, the periodic verify summary (never per image), and
 * /healthz and /readyz.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { request } from 'undici';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { parsePromText, value } from '../probe/prom-text.ts';

const ROOT = join(import.meta.dirname, '../..');
const app = { repository: 'org/app', content: 'app', tags: ['1.0'] };
const other = { repository: 'org/other', content: 'other', tags: ['2.0'] };
let mocks: MockRegistrySet;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-fleet-'));
  mocks = await startMockRegistries([
    { host: 'mirror.example.com', tls: true, images: [app] },
    { host: 'quay.io', images: [app, other] },
    { host: 'down.example.com', down: true },
  ]);
  await writeFile(join(work, 'ca.crt'), mocks.caPem!);
  await writeFile(join(work, 'registries.conf'), `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
insecure = true
[[registry.mirror]]
location = "mirror.example.com/org"

[[registry]]
prefix = "registry.example.com/team"
location = "registry.example.com/team"
insecure = true
[[registry.mirror]]
location = "down.example.com/team"
insecure = true
`);
  await writeFile(join(work, 'images.txt'), `quay.io/org/app@${mockImageDigest(app)}\nquay.io/org/other:2.0\nquay.io/org/missing:1\n`);
});
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Earliest notAfter of the verified chain (leaf and CA), read over a separate TLS connection (independent of pullpath). */
async function servedNotAfter(): Promise<number> {
  const addr = mocks.get('mirror.example.com')!;
  const cert = await new Promise<DetailedPeerCertificate>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: addr.port, servername: 'mirror.example.com', ca: mocks.caPem! }, () => {
      resolve(s.getPeerCertificate(true));
      s.end();
    });
    s.on('error', reject);
  });
  let earliest = Infinity;
  for (let c: DetailedPeerCertificate | undefined = cert, n = 0; c && n < 5; c = c.issuerCertificate === c ? undefined : c.issuerCertificate, n++) earliest = Math.min(earliest, Date.parse(c.valid_to) / 1000);
  return earliest;
}

describe('probe for fleets', () => {
  it('exports node-labelled endpoint, prefix, certificate and verify metrics, and health endpoints', async () => {
    const connectTo = Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
    const args = [
      join(ROOT, 'bin/pullpath.js'), 'probe', '--registries-conf', join(work, 'registries.conf'), '--registries-conf-dir', join(work, 'none.d'),
      '--cert-dir', work, ...connectTo, '--canary', `quay.io/org=quay.io/org/app@${mockImageDigest(app)}`,
      '--watch', '--interval', '0.3', '--timeout', '3', '--metrics-port', '0', '--verify-images', join(work, 'images.txt'), '--output', 'json',
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work, CI: 'true', NODE_NAME: 'worker-3' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const secret = 'metrics at ';
    try {
      const deadline = Date.now() + 20_000;
      while (!stderr.includes(secret) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /metrics at (\S+)/.exec(stderr)![1]!;
      const base = url.replace('/metrics', '');
      // Ready once the first pass is done, and the verify run reported.
      let ready = 0;
      while (Date.now() < deadline && !(ready === 200 && stderr.includes('verify:'))) {
        const r = await request(`${base}/readyz`);
        ready = r.statusCode;
        await r.body.dump();
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(ready).toBe(200);
      const live = await request(`${base}/healthz`);
      expect(live.statusCode).toBe(200);
      await live.body.dump();

      const text = await (await request(url)).body.text();
      const { samples } = parsePromText(text);
      for (const s of samples) expect(s.labels.node, s.name).toBe('worker-3');
      // Bounded cardinality: no image (repository, tag or digest) in any label or anywhere in the text.
      expect(text).not.toMatch(/org\/app|org\/other|org\/missing|sha256:/);
      expect(value(samples, 'pullpath_probe_success', { endpoint: 'mirror.example.com/org', role: 'mirror' })).toBe(1);
      expect(value(samples, 'pullpath_probe_success', { endpoint: 'down.example.com/team' })).toBe(0);
      expect(value(samples, 'pullpath_probe_http_status_code', { endpoint: 'mirror.example.com/org' })).toBe(200);
      expect(value(samples, 'pullpath_prefix_reachable', { prefix: 'quay.io/org' })).toBe(1);
      expect(value(samples, 'pullpath_prefix_failover', { prefix: 'quay.io/org' })).toBe(0);
      expect(value(samples, 'pullpath_prefix_reachable', { prefix: 'registry.example.com/team' })).toBe(0);
      // The chain pullpath was served, on its own connection, is the one a separate handshake sees.
      expect(value(samples, 'pullpath_probe_ssl_earliest_cert_expiry', { endpoint: 'mirror.example.com/org' })).toBe(await servedNotAfter());
      expect(value(samples, 'pullpath_probe_ssl_earliest_cert_expiry', { endpoint: 'quay.io/org' })).toBeUndefined(); // plain HTTP
      // Verify: two served by the mirror; org/other:2.0 is on the source only (the mirror lacks it), org/missing nowhere.
      expect(value(samples, 'pullpath_verify_images', { result: 'ok' })).toBe(1);
      expect(value(samples, 'pullpath_verify_images', { result: 'failed' })).toBe(2);
      expect(value(samples, 'pullpath_verify_runs_total', {})).toBe(1);
      expect(value(samples, 'pullpath_verify_success', {})).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
  }, 40_000);

  it('verify --metrics-file writes the summary a textfile collector reads, and keeps its exit status', async () => {
    const connectTo = Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
    const file = join(work, 'pullpath_verify.prom');
    const child = spawn(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'verify', '--registries-conf', join(work, 'registries.conf'), '--registries-conf-dir', join(work, 'none.d'), '--cert-dir', work, ...connectTo, '--images', join(work, 'images.txt'), '--metrics-file', file, '--node-name', 'worker-9'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work } });
    child.stdout.resume();
    child.stderr.resume();
    expect(await new Promise((r) => child.on('exit', r))).toBe(1); // two images fail: the file does not hide it
    const { samples } = parsePromText(await readFile(file, 'utf8'));
    expect(value(samples, 'pullpath_verify_images', { node: 'worker-9', result: 'ok' })).toBe(1);
    expect(value(samples, 'pullpath_verify_failures', { node: 'worker-9', reason: 'source-only' })).toBe(1);
    expect(value(samples, 'pullpath_verify_failures', { node: 'worker-9', reason: 'not-mirrored' })).toBe(1);
    expect((await readdir(work)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses --verify-images without --watch and --metrics-port (exit 2)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'probe', '--registries-conf', join(work, 'registries.conf'), '--verify-images', join(work, 'images.txt')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
    expect(stderr).toMatch(/--verify-images needs --watch and --metrics-port/);
  });
});
