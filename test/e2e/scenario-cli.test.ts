import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freePort } from '../helpers/docker-registry.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/pullpath.js');
const fixtures = join(root, 'test/fixtures/scenario');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, CI: 'true', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

describe('pullpath scenario run', () => {
  it('exits 0 and prints the story, the attempts and each expectation met', async () => {
    const r = await cli(['scenario', 'run', 'scenarios/blocked-registry-mirror-serves.toml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenario blocked-registry-mirror-still-serves  (scenarios/blocked-registry-mirror-serves.toml)');
    expect(r.stdout).toContain('registry.vendor.example.com/products is blocked and has a mirror');
    expect(r.stdout).toMatch(/1\. primary quay\.io\/vendor\/cli:13\.13\.0 {2}blocked \(blocked\)/);
    expect(r.stdout).toContain('✓ error-contains[0]: the final error contains "registry quay.io/vendor is blocked in "');
    expect(r.stdout).toContain('PASS: 2/2 pulls as expected');
  }, 60_000);

  it('--debug writes the runtime\'s lines and an HTTP trace to stderr, never a scenario secret', async () => {
    const r = await cli(['scenario', 'run', 'scenarios/token-auth-mirror.toml', '--debug']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('level=debug msg="Accessing \\"nexus.corp.example.com/ghcr-acme/operator:0.9.1\\" failed: reading manifest 0.9.1 in nexus.corp.example.com/ghcr-acme/operator: denied"');
    expect(r.stderr).toContain('level=debug msg="Trying to access \\"ghcr.io/acme/operator:0.9.1\\""');
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET https:\/\/harbor\.corp\.example\.com\/token\?\S+ sent after [\d.]+ m?s \(.*authorization: Basic <redacted>\)"/);
    expect(r.stderr).not.toContain('s3cret-pull-token');
    expect(r.stderr).not.toContain(Buffer.from('robot-ci:s3cret-pull-token').toString('base64'));
    expect(r.stdout).toContain('PASS');
  }, 60_000);

  it('exits 1 when an expectation is deliberately wrong, and names it', async () => {
    const r = await cli(['scenario', 'run', join(fixtures, 'wrong-expectation.toml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ source: expected "quay.io/acme/app:1.4"');
    expect(r.stdout).toContain('got "mirror.example.com:5000/acme/app:1.4"');
    expect(r.stdout).toContain('FAIL: 0/1 pulls as expected');
  }, 60_000);

  it('exits 2 for an invalid file, naming the file, the key and what was expected, before running anything', async () => {
    const r = await cli(['scenario', 'run', 'scenarios/demo.toml', join(fixtures, 'invalid-attempt-outcome.toml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/invalid-attempt-outcome\.toml: pull\[0\]\.expect\.attempts\[0\]\.outcome: expected one of "ok", "failed", "blocked", got the string "succeeded"/);
  }, 60_000);

  it('exits 2 for a mock-only scenario and says there is nothing to run', async () => {
    const r = await cli(['scenario', 'run', join(fixtures, 'mock-only.toml'), '--no-tui']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mock-only\.toml: nothing to run: it has no \[\[pull\]\] tables \(a mock-only scenario: serve its registries with pullpath mock /);
  }, 60_000);

  it('exits 2 on bad usage', async () => {
    expect((await cli(['scenario'])).code).toBe(2);
    expect((await cli(['scenario', 'run'])).code).toBe(2);
    expect((await cli(['scenario', 'run', 'scenarios/demo.toml', '--output', 'yaml'])).code).toBe(2);
  }, 60_000);

  it('writes JSON Lines and a JUnit file, and never prints a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullpath-e2e-'));
    const junit = join(dir, 'junit.xml');
    const r = await cli(['scenario', 'run', join(fixtures, 'files-and-secrets.toml'), join(fixtures, 'wrong-expectation.toml'), '--output', 'json', '--junit', junit]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${l['type']} ${l['ok']}`)).toEqual(['pull true', 'pull true', 'scenario true', 'pull false', 'scenario false']);
    expect(lines[0]).toMatchObject({ key: 'pull[0]#1', image: 'quay.io/acme/app:1.4', result: { ok: true, source: 'secure-mirror.example.com:5000/acme/app:1.4' } });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="pullpath scenarios" tests="3" failures="1" errors="0">');
    for (const out of [r.stdout, r.stderr, xml]) {
      expect(out).not.toContain('top-secret-do-not-print');
      expect(out).not.toContain('Y2k6dG9wLXNlY3JldC1kby1ub3QtcHJpbnQ=');
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    child.on('exit', () => reject(new Error(`exited early: ${buf}`)));
  });
}

describe('pullpath mock', () => {
  it('serves a scenario standalone, prints its addresses and --connect-to flags, and stops after --duration', async () => {
    const started = Date.now();
    const r = await cli(['mock', 'scenarios/demo.toml', '--duration', '1.5']);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(r.stdout).toMatch(/mirror-1\.example\.com:5000 +down: 127\.0\.0\.1:\d+ refuses connections/);
    expect(r.stdout).toMatch(/quay\.io +https:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toMatch(/--connect-to mirror-2\.example\.com:5000:127\.0\.0\.1:\d+ /);
    expect(r.stdout).toMatch(/--connect-to quay\.io:127\.0\.0\.1:\d+ /);
    expect(r.stdout.trimEnd().endsWith('stopped')).toBe(true);
  }, 60_000);

  it('serves what it prints: a real request reaches the mock through the printed address', async () => {
    const child = spawn(process.execPath, [bin, 'mock', 'scenarios/insecure-http-mirror.toml', '--duration', '20', '--output', 'json'], { cwd: root });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
        });
        child.on('exit', () => reject(new Error(`exited early: ${buf}`)));
      });
      const info = JSON.parse(line) as { registries: { host: string; address: string; scheme: string }[]; registriesConf: string };
      const http = info.registries.find((x) => x.scheme === 'http')!;
      expect(http.host).toBe('http-mirror.corp.example.com:5000');
      const res = await fetch(`http://${http.address}/v2/tools/cli/manifests/2.0`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-content-digest')).toMatch(/^sha256:/);
      expect(readFileSync(info.registriesConf, 'utf8')).toContain('http-mirror.corp.example.com:5000/tools');
      // Ctrl-C stops the registries, removes the temporary folder and exits 130, as every command does.
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(existsSync(info.registriesConf)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('serves a mock-only scenario (no [[pull]]) on the --listen and --base-port addresses it is given', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    const args = ['mock', join(fixtures, 'mock-only.toml'), '--duration', '20', '--output', 'json', '--listen', `mirror.corp.example.com:5000=127.0.0.1:${a}`, '--base-port', String(b)];
    const child = spawn(process.execPath, [bin, ...args], { cwd: root });
    try {
      const line = await firstLine(child);
      const info = JSON.parse(line) as { registries: { host: string; address: string }[] };
      expect(info.registries.map((r) => [r.host, r.address])).toEqual([
        ['mirror.corp.example.com:5000', `127.0.0.1:${a}`],
        ['quay.io', `127.0.0.1:${b + 1}`], // the second [[registry]]: base + 1
      ]);
      const res = await fetch(`http://127.0.0.1:${a}/v2/acme/app/manifests/1.4`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(res.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(130); // 128 + SIGINT, as every command exits on Ctrl-C
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('exits 2 for --listen naming no registry of the scenario, and for --same-ports with --base-port', async () => {
    const r = await cli(['mock', join(fixtures, 'mock-only.toml'), '--listen', 'ghcr.io=127.0.0.1:5000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no \[\[registry\]\] with host "ghcr\.io" \(hosts: mirror\.corp\.example\.com:5000, quay\.io\)/);
    const both = await cli(['mock', join(fixtures, 'mock-only.toml'), '--same-ports', '--base-port', '15000']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--same-ports cannot be combined/);
  }, 60_000);

  it('documents --same-ports with the address it binds, --listen and --base-port', async () => {
    const r = await cli(['mock', '--help']);
    expect(r.stdout).toMatch(/--same-ports[\s\S]*binds 127\.0\.0\.\(i\+2\)/);
    expect(r.stdout).toMatch(/--listen NAME=ADDR:PORT/);
    expect(r.stdout).toMatch(/--base-port N +the i-th \[\[registry\]\]/);
  }, 60_000);

  it('exits 2 for a missing scenario', async () => {
    const r = await cli(['mock', 'nope.toml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.toml: cannot read the scenario file');
  }, 60_000);
});
