/**
 * `node bin/pullpath.js pull` end to end against local docker-registry instances: registry names in the
 * config are data (registry.example.com, mirror.example.com), mapped to loopback with --connect-to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dockerRegistrySkipReason,
  freePort,
  pushImage,
  startDockerRegistry,
  tinyImage,
  HTPASSWD_PASSWORD,
  HTPASSWD_USER,
  type RunningRegistry,
} from '../helpers/docker-registry.ts';

const skip = dockerRegistrySkipReason();
if (skip) console.warn(`[pull-cli] skipped: ${skip}`);
const ROOT = join(import.meta.dirname, '../..');

let origin: RunningRegistry, empty: RunningRegistry, auth: RunningRegistry;
let dead: string;
let work: string;
let conf: string;
const img = tinyImage('e2e');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/pullpath.js'), 'pull', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work, CI: 'true' , ...env }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-e2e-'));
  await mkdir(join(work, 'conf.d'));
  [origin, empty, auth] = await Promise.all([startDockerRegistry(), startDockerRegistry(), startDockerRegistry({ htpasswd: true })]);
  dead = `127.0.0.1:${await freePort()}`;
  await pushImage(origin.url, 'lib/hello', 'v1', img);
  await pushImage(auth.url, 'lib/hello', 'v1', img, { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD });
  conf = join(work, 'registries.conf');
  await writeFile(
    conf,
    [
      '[[registry]]',
      'location = "registry.example.com"',
      'insecure = true',
      '[[registry.mirror]]',
      'location = "mirror.example.com"',
      'insecure = true',
      '[[registry.mirror]]',
      'location = "down.example.com"',
      '[[registry]]',
      'location = "private.example.com"',
      'insecure = true',
    ].join('\n') + '\n',
  );
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([origin, empty, auth].filter(Boolean).map((r) => r.stop()));
  await rm(work, { recursive: true, force: true });
});

const base = () => [
  '--registries-conf', conf,
  '--registries-conf-dir', join(work, 'conf.d'),
  '--connect-to', `registry.example.com:${origin.addr}`,
  '--connect-to', `mirror.example.com:${empty.addr}`,
  '--connect-to', `down.example.com:${dead}`,
  '--connect-to', `private.example.com:${auth.addr}`,
  '--timeout', '5',
];

describe.skipIf(skip !== null)('pullpath pull (CLI)', () => {
  it('shows every attempt and the verdict in text, exit 0 when the image pulls', async () => {
    const r = await cli([...base(), 'docker://registry.example.com/lib/hello:v1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('docker://registry.example.com/lib/hello:v1');
    expect(r.stdout).toMatch(/ 1\. mirror +mirror\.example\.com\/lib\/hello:v1 +http:\/\/mirror\.example\.com \(insecure\) +FAILED +404/);
    expect(r.stdout).toContain('not-found: reading manifest v1 in mirror.example.com/lib/hello: manifest unknown: manifest unknown');
    expect(r.stdout).toContain(`refused: pinging container registry down.example.com: Get "https://down.example.com/v2/": dial tcp ${dead}: connect: connection refused`);
    expect(r.stdout).toMatch(/ 3\. primary +registry\.example\.com\/lib\/hello:v1 +http:\/\/registry\.example\.com \(insecure\) +OK +200/);
    expect(r.stdout).toContain(`PULLED from registry.example.com/lib/hello:v1 (source 3)`);
    expect(r.stdout).toContain(img.digest);
  });

  it('--debug writes skopeo\'s debug lines and an HTTP trace to stderr, credentials redacted', async () => {
    const r = await cli([...base(), '--debug', 'docker://registry.example.com/lib/hello:v1']);
    expect(r.code).toBe(0);
    const q = (s: string) => s.replaceAll('"', '\\"');
    const lines = r.stderr.split('\n');
    const at = (text: string) => lines.indexOf(text);
    // The wording of skopeo 1.9.3 --debug (research/skopeo-e2e-findings.md §1), in the runtime's order.
    const order = [
      `level=debug msg="Trying to access ${q('"mirror.example.com/lib/hello:v1"')}"`,
      `level=debug msg="Accessing ${q('"mirror.example.com/lib/hello:v1"')} failed: reading manifest v1 in mirror.example.com/lib/hello: manifest unknown: manifest unknown"`,
      `level=debug msg="Trying to access ${q('"down.example.com/lib/hello:v1"')}"`,
      `level=debug msg="Accessing ${q('"down.example.com/lib/hello:v1"')} failed: pinging container registry down.example.com: Get ${q('"https://down.example.com/v2/"')}: dial tcp ${dead}: connect: connection refused"`,
      `level=debug msg="Trying to access ${q('"registry.example.com/lib/hello:v1"')}"`,
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET http:\/\/registry\.example\.com\/v2\/lib\/hello\/manifests\/v1 -> 200 OK in [\d.]+ m?s \(.*docker-content-digest: sha256:[0-9a-f]{64}/);
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET https:\/\/down\.example\.com\/v2\/ failed after [\d.]+ m?s: ECONNREFUSED/);
    expect(r.stdout).toContain('PULLED from registry.example.com/lib/hello:v1');

    const authfile = join(work, 'debug-auth.json');
    const basic = Buffer.from(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`).toString('base64');
    await writeFile(authfile, JSON.stringify({ auths: { 'private.example.com': { auth: basic } } }));
    const priv = await cli([...base(), '--log-level', 'debug', '--authfile', authfile, 'docker://private.example.com/lib/hello:v1']);
    expect(priv.code).toBe(0);
    expect(priv.stderr).toContain('authorization: Basic <redacted>');
    expect(priv.stderr).not.toContain(HTPASSWD_PASSWORD);
    expect(priv.stderr).not.toContain(basic);
    expect(priv.stderr).not.toContain(basic.replace(/=+$/, ''));
  });

  it('writes no debug lines without --debug, and refuses an unknown --log-level', async () => {
    const r = await cli([...base(), '--log-level', 'info', 'docker://registry.example.com/lib/hello:v1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const bad = await cli([...base(), '--log-level', 'debgu', 'docker://registry.example.com/lib/hello:v1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--log-level: expected one of error, warn, info, debug, got "debgu"; did you mean debug?');
  });

  it('prints the runtime final error and exits 1 when every source fails', async () => {
    const r = await cli([...base(), 'docker://registry.example.com/lib/nope:v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '(Mirrors also failed: [mirror.example.com/lib/nope:v1: reading manifest v1 in mirror.example.com/lib/nope: manifest unknown: manifest unknown]\n' +
        `[down.example.com/lib/nope:v1: pinging container registry down.example.com: Get "https://down.example.com/v2/": dial tcp ${dead}: connect: connection refused]): ` +
        'registry.example.com/lib/nope:v1: reading manifest v1 in registry.example.com/lib/nope: manifest unknown: manifest unknown',
    );
  });

  it('--compat 5.40 words registry errors as current containers/image does', async () => {
    const r = await cli([...base(), '--compat', '5.40', 'docker://registry.example.com/lib/nope:v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('registry.example.com/lib/nope:v1: reading manifest v1 in registry.example.com/lib/nope: manifest unknown\n');
  });

  it('writes JSON Lines of image, attempt and result events', async () => {
    const r = await cli([...base(), '--output', 'json', 'docker://registry.example.com/lib/hello:v1', 'docker://registry.example.com/lib/nope:v1']);
    expect(r.code).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['image', 'attempt', 'result']));
    const results = events.filter((e) => e.type === 'result');
    expect(results.map((e) => [e.image, e.ok])).toEqual(
      expect.arrayContaining([['docker://registry.example.com/lib/hello:v1', true], ['docker://registry.example.com/lib/nope:v1', false]]),
    );
    const attempt = events.find((e) => e.type === 'attempt' && e.image === 'docker://registry.example.com/lib/hello:v1' && e.index === 2);
    expect(attempt).toMatchObject({ outcome: 'ok', reference: 'registry.example.com/lib/hello:v1', mirror: false, insecure: true, httpStatus: 200 });
    expect(attempt.steps.map((s: { step: string }) => s.step)).toEqual(['ping', 'ping', 'manifest']);
  });

  it('exits 2 on bad usage and on an unparseable reference', async () => {
    expect((await cli([...base()])).code).toBe(2);
    expect((await cli([...base(), '--jobs', '0', 'x'])).code).toBe(2);
    const bad = await cli([...base(), 'docker://registry.example.com/Lib/Hello:v1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('repository name must be lowercase');
  });

  it('reads --images FILE and keeps each image together, in input order', async () => {
    const list = join(work, 'images.txt');
    await writeFile(list, '# images\ndocker://registry.example.com/lib/nope:v1\n\ndocker://registry.example.com/lib/hello:v1\n');
    const r = await cli([...base(), '--images', list, '--jobs', '2']);
    expect(r.code).toBe(1);
    const blocks = r.stdout.split('\n\n');
    expect(blocks[0]!.split('\n')[0]).toBe('docker://registry.example.com/lib/nope:v1');
    expect(blocks[1]!.split('\n')[0]).toBe('docker://registry.example.com/lib/hello:v1');
    expect(r.stdout).toContain('1 of 2 images pulled');
  });

  it('never prints a password, token or auth value, in text or JSON, even when it fails', async () => {
    const b64 = Buffer.from(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`).toString('base64');
    const authFile = join(work, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { 'private.example.com': { auth: b64 } } }));
    const wrongFile = join(work, 'auth-wrong.json');
    const wrongPw = 'wrong-pw-9f8e7d6c';
    await writeFile(wrongFile, JSON.stringify({ auths: { 'private.example.com': { auth: Buffer.from(`${HTPASSWD_USER}:${wrongPw}`).toString('base64') } } }));
    const runs = [
      await cli([...base(), '--authfile', authFile, 'docker://private.example.com/lib/hello:v1']),
      await cli([...base(), '--authfile', authFile, '--output', 'json', 'docker://private.example.com/lib/hello:v1']),
      await cli([...base(), '--authfile', wrongFile, '--output', 'json', 'docker://private.example.com/lib/hello:v1']),
      await cli([...base(), 'docker://private.example.com/lib/hello:v1'], { REGISTRY_AUTH_FILE: authFile }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 1, 0]);
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of [HTPASSWD_PASSWORD, b64, b64.replace(/=+$/, ''), wrongPw, Buffer.from(`${HTPASSWD_USER}:${wrongPw}`).toString('base64')]) {
      expect(all).not.toContain(secret);
    }
    expect(runs[2]!.stdout).toContain('reading manifest v1 in private.example.com/lib/hello: unauthorized');
  });
});
