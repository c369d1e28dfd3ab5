/** `pullpath resolve` end to end: the real CLI on fixture files, its output and exit codes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';

const fixtures = 'test/fixtures/resolve';
const home = mkdtempSync(join(tmpdir(), 'pullpath-resolve-home-'));
const configFlags = [
  '--registries-conf', `${fixtures}/mirrors.conf`,
  '--registries-conf-dir', `${fixtures}/conf.d`,
  '--short-name-aliases', `${fixtures}/no-user-aliases.conf`,
];

const pullpath = (args: string[]) => runCli(args, { env: hermeticEnv(home) });

describe('pullpath resolve', () => {
  it('prints the chain for each ARG and exits 0', async () => {
    const r = await pullpath(['resolve', ...configFlags, 'docker://quay.io/org/app:1', 'eu.apps.example.net:6000/x:2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('docker://quay.io/org/app:1');
    expect(r.stdout).toContain('1. mirror.local:5000/org/app:1  (mirror)');
    expect(r.stdout).toContain('2. quay.io/org/app:1  (primary)');
    expect(r.stdout).toContain(`digests.local/org: digest-only mirror skipped for a tag reference`);
    expect(r.stdout).toContain(`from ${fixtures}/mirrors.conf:5`);
    // the drop-in is read: the wildcard carries the port over to its location
    expect(r.stdout).toContain('1. registry.example.net:6000/x:2  (primary)');
  });

  it('prints one JSON object per ARG, in order, and exits 1 when any ARG fails', async () => {
    const r = await pullpath(['resolve', ...configFlags, '--output', 'json', 'app', 'docker://Bad/Ref', 'docker://blocked.example.com/x']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.image)).toEqual(['app', 'docker://Bad/Ref', 'docker://blocked.example.com/x']);
    expect(lines[0].candidates.map((c: { reference: string }) => c.reference)).toEqual(['quay.io/org/app:latest']);
    expect(lines[1].error).toBe('invalid reference format: repository name must be lowercase');
    expect(lines[2].sources).toEqual([
      { location: 'blocked.example.com', insecure: false, reference: 'blocked.example.com/x:latest', blocked: true, mirror: false },
    ]);
    expect(lines[2].error).toBeNull();
  });

  it('exits 2 naming the file when the configuration does not load', async () => {
    const r = await pullpath(['resolve', '--registries-conf', `${fixtures}/invalid.conf`, '--registries-conf-dir', `${fixtures}/conf.d`, 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`loading registries configuration "${fixtures}/invalid.conf": invalid condition: location is unset`);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on bad usage', async () => {
    expect((await pullpath(['resolve', ...configFlags])).code).toBe(2);
    expect((await pullpath(['resolve', ...configFlags, '--output', 'yaml', 'x'])).code).toBe(2);
    expect((await pullpath(['resolve', ...configFlags, '--bogus', 'x'])).code).toBe(2);
  });

  it('documents every flag in --help', async () => {
    const r = await pullpath(['resolve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--registries-conf FILE', '--registries-conf-dir DIR', '--short-name-aliases FILE', '--compat', '--output text|json', '--no-tui', 'docker://REF']) {
      expect(r.stdout).toContain(flag);
    }
  });
});
