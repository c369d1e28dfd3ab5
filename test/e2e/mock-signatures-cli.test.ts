/**
 * `pullpath mock` on a signature scenario writes the policy.json (the generated key filled in), registries.d and
 * sigstore.pub it serves for, and prints how to use them. The printed `pullpath pull` line, run as printed,
 * verifies the mirror's signature against the served files — with the registries on fixed ports (--base-port),
 * which start each registry separately: they must still sign with the one key the policy names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/docker-registry.ts';
import { repoRoot, runCli } from '../helpers/run-cli.ts';

const bin = join(repoRoot, 'bin/pullpath.js');
const cli = (args: string[]) => runCli(args, { timeoutMs: 30_000 });

/** Starts `pullpath mock SCENARIO --base-port P` and resolves with what it printed once it serves. */
async function startMock(scenario: string): Promise<{ child: ChildProcess; text: string }> {
  const child = spawn(process.execPath, [bin, 'mock', scenario, '--base-port', String(await freePort()), '--duration', '30'], { cwd: repoRoot });
  const text = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('Serving;')) resolve(buf);
    });
    child.on('exit', () => reject(new Error(`exited early: ${buf}`)));
  });
  return { child, text };
}

describe('pullpath mock: signature scenarios', () => {
  it('writes policy.json, registries.d and sigstore.pub; the printed pull line verifies the signature through them', async () => {
    const { child, text } = await startMock('scenarios/signed-release-mirror.toml');
    try {
      const file = (label: string) => new RegExp(`^  ${label} +(\\S+)`, 'm').exec(text)?.[1];
      const policy = file('policy\\.json')!;
      const registriesD = file('registries\\.d')!;
      const key = file('sigstore\\.pub')!;
      expect([policy, registriesD, key].every((p) => p !== undefined && existsSync(p))).toBe(true);
      const pem = readFileSync(key, 'utf8');
      expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const written = JSON.parse(readFileSync(policy, 'utf8'));
      expect(Buffer.from(written.transports.docker['quay.io/openshift-release-dev/ocp-release'][0].keyData, 'base64').toString()).toBe(pem);
      expect(readFileSync(join(registriesD, 'sigstore-registries.yaml'), 'utf8')).toContain('use-sigstore-attachments: true');
      const pullLine = /^  pullpath pull (.*)$/m.exec(text)![1]!;
      expect(pullLine).toContain(`--policy ${policy} --registries.d ${registriesD}`);
      const r = await cli(['pull', ...pullLine.split(' ')]);
      expect(r.stdout + r.stderr).toMatch(/signatures: verified/);
      expect(r.code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
    }
  }, 60_000);

  it('gpg: writes gpg.pub (the policy\'s keyPath); the printed pull line verifies from the mirror\'s lookaside store', async () => {
    const { child, text } = await startMock('scenarios/gpg-signatures-not-mirrored.toml');
    try {
      const key = new RegExp('^  gpg\\.pub +(\\S+)', 'm').exec(text)?.[1];
      expect(key !== undefined && existsSync(key), text).toBe(true);
      expect(readFileSync(key!, 'utf8')).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      const policy = new RegExp('^  policy\\.json +(\\S+)', 'm').exec(text)![1]!;
      expect(JSON.parse(readFileSync(policy, 'utf8')).transports.docker['registry.redhat.io'][0].keyPath).toBe(key);
      // The printed line pulls the scenario's first image (its signature was not mirrored); pull the other too.
      const pullLine = /^  pullpath pull (.*)$/m.exec(text)![1]!.split(' ');
      const rejected = await cli(['pull', ...pullLine]);
      expect(rejected.stdout + rejected.stderr).toMatch(/A signature was required, but no signature exists/);
      expect(rejected.code).toBe(1);
      const verified = await cli(['pull', ...pullLine.slice(0, -1), 'registry.redhat.io/ubi9/ubi-minimal:9.4']);
      expect(verified.stdout + verified.stderr).toMatch(/signatures: verified \(looked for on the source that served the image: http:\/\/mirror\.corp\.example\.com:5000\/lookaside\/rh\/ubi9\/ubi-minimal\)/);
      expect(verified.code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
    }
  }, 60_000);
});
