/**
 * `pullpath explain` from the real entry point: a podman transcript on a pipe (no argument), `-`, an
 * argument, a wrapped `oc describe pod` block; a configuration beside the attempts; input that is not a pull
 * error (exit 2, saying what was expected).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, spawnCli, type CliResult } from '../helpers/run-cli.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

/** Runs the CLI with `input` on standard input (HOME points nowhere: no user config is read). */
const withStdin = (args: string[], input: string): Promise<CliResult> => spawnCli(args, { stdin: input, env: { ...process.env, HOME: '/nonexistent' } });

const RUNS = 'test/fixtures/explain/runs';
const podman = readFileSync(join(repoRoot, RUNS, 'chain-404-refused-refused.podman.txt'), 'utf8');

describe('pullpath explain', () => {
  it('reads a podman transcript from a pipe (no argument) and from -', async () => {
    for (const args of [['explain'], ['explain', '-']]) {
      const r = await withStdin(args, podman);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^127\.0\.0\.1:\d+\/lib\/hello:v1: 3 sources tried, all failed \(not-found, refused\)/);
      expect(r.stdout).toContain('podman retried the whole pull 3 time(s)');
      expect(r.stdout).toContain('what to do:');
    }
  }, 30_000);

  it('an argument, as JSON Lines', async () => {
    const r = await runCli(['explain', '-o', 'json', 'pinging container registry q.example.com: Get "https://q.example.com/v2/": x509: certificate signed by unknown authority']);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout.trim()) as { type: string; attempts: { errorClass: string; step: string }[]; whatToDo: { topic: string }[] };
    expect(rec.type).toBe('explain');
    expect(rec.attempts.map((a) => [a.errorClass, a.step])).toEqual([['tls', 'ping']]);
    expect(rec.whatToDo.map((f) => f.topic)).toEqual(['tls']);
  });

  it('with --registries-conf: the chain the configuration gives, and the mirror the node did not try', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-explain-'));
    const conf = join(dir, 'registries.conf');
    await writeFile(conf, '[[registry]]\nlocation = "quay.io/org"\n[[registry.mirror]]\nlocation = "mirror.example.com/org"\n');
    const event = '  Warning  Failed  2m  kubelet  Failed to pull image "quay.io/org/app:1": rpc error: code = Unknown desc = reading manifest 1 in quay.io/org/app: manif\n                                   est unknown';
    const r = await runCli(['explain', '--registries-conf', conf, '--registries-conf-dir', join(dir, 'none.d'), event], { env: { ...process.env, HOME: dir } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('class not-found, step manifest, HTTP 404');
    expect(r.stdout).toContain(`1. mirror  mirror.example.com/org/app:1  ${conf}:3`);
    expect(r.stdout).toContain('the node tried no mirror');
  });

  it('with --openshift: the ImageTagMirrorSet mirror the node did not try, named by object and line', async () => {
    const event = 'Failed to pull image "docker.io/library/busybox:1": rpc error: code = Unknown desc = pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';
    const r = await runCli(['explain', '--openshift', 'test/fixtures/openshift/tag-mirrors.yaml', '-o', 'json', event]);
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout.trim()) as { attempts: { reference: string; errorClass: string }[]; expected: { reference: string; origin: string }[]; findings: { kind: string; message: string }[] };
    expect(rec.attempts.map((a) => [a.reference, a.errorClass])).toEqual([['docker.io/library/busybox:1', 'dns']]);
    expect(rec.expected[0]).toEqual({ reference: 'mirror.local/dockerhub/busybox:1', mirror: true, blocked: false, origin: 'ImageTagMirrorSet/tags test/fixtures/openshift/tag-mirrors.yaml:7 (rendered)' });
    expect(rec.findings.map((f) => f.kind)).toEqual(['no-mirror-tried']);
    expect(rec.findings[0]!.message).toContain('per the OpenShift objects given, this image has a mirror (mirror.local/dockerhub/busybox:1), but the node tried no mirror');
  });

  it('auth errors name the auth.json entry the runtime would use for that source, never the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-explain-auth-'));
    const authfile = join(dir, 'auth.json');
    await writeFile(authfile, JSON.stringify({ auths: { 'quay.io': { auth: Buffer.from('alice:s3cret-pw').toString('base64') } } }));
    const text = '(Mirrors also failed: [mirror.example.com/org/app:1: reading manifest 1 in mirror.example.com/org/app: unauthorized: authentication required]): quay.io/org/app:1: reading manifest 1 in quay.io/org/app: unauthorized: authentication required';
    const r = await runCli(['explain', '--authfile', authfile, text]);
    expect(r.code, r.stderr).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('for mirror.example.com/org/app the runtime uses anonymous');
    expect(flat).toContain(`for quay.io/org/app the runtime uses auth file ${authfile}, key "quay.io" (user alice)`);
    expect(r.stdout).not.toContain('s3cret');
  });

  it('auth errors name the credential helper a mirror host gets; a failed helper lookup is its own class', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-explain-helper-'));
    const authfile = join(dir, 'auth.json');
    await writeFile(authfile, JSON.stringify({ auths: {}, credHelpers: { 'mirror.example.com': 'pp-fake' } }));
    await writeFile(join(dir, 'mirror.example.com.json'), JSON.stringify({ Username: 'helper-user', Secret: 'helper-s3cret' }));
    const env = { ...process.env, HOME: dir, PATH: `${fileURLToPath(new URL('../fixtures/cred-helpers', import.meta.url))}:${process.env.PATH}`, PP_FAKE_HELPER_DATA: dir };
    const text = '(Mirrors also failed: [mirror.example.com/org/app:1: reading manifest 1 in mirror.example.com/org/app: unauthorized: authentication required]): quay.io/org/app:1: getting username and password: 1 error occurred:\n\t* error getting credentials - err: exit status 3, out: `keychain is locked`\n\n';
    const r = await runCli(['explain', '--authfile', authfile, '-o', 'json', text], { env });
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout.trim()) as { attempts: { reference: string; errorClass: string }[]; findings: { kind: string; message: string }[]; whatToDo: { topic: string }[] };
    expect(rec.attempts.map((a) => a.errorClass)).toEqual(['unauthorized', 'credentials']);
    expect(rec.findings.find((f) => f.kind === 'credentials')?.message).toContain(`credential helper docker-credential-pp-fake for mirror.example.com (credHelpers in ${authfile}) (user helper-user)`);
    expect(rec.whatToDo.map((f) => f.topic)).toContain('credentials-lookup');
    expect(checkJsonLines('explain', r.stdout).failures).toEqual([]);
    expect(r.stdout).not.toContain('helper-s3cret');
  });

  it('input that is not a pull error: exit 2, saying what was expected', async () => {
    const r = await withStdin(['explain'], 'all good here\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pullpath explain: no pull error recognised: expected a container runtime pull error');
  });
});
