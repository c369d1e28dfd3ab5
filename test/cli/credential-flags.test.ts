/**
 * --creds / --username / --password / --no-creds: skopeo 1.9.3's semantics and its error texts, word for word
 * (the real skopeo is asked the same when installed), exit 2 on every command that builds a registry client.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialFlagsHelp, credentialOverrideFromFlags } from '../../cli/credential-flags.ts';
import { UsageError } from '../../src/errors.ts';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';
import { SKOPEO_BIN, skopeoSkipReason } from '../helpers/skopeo.ts';

const CONFLICTS: [string[], string][] = [
  [['--creds', 'a', '--no-creds'], 'creds and no-creds cannot be specified at the same time'],
  [['--username', 'a', '--password', 'b', '--no-creds'], 'username and no-creds cannot be specified at the same time'],
  [['--creds', 'a', '--username', 'b'], 'creds and username cannot be specified at the same time'],
  [['--username', 'a'], 'password must be specified when username is specified'],
  [['--password', 'b'], 'username must be specified when password is specified'],
  [['--creds='], "credentials can't be empty"],
  [['--creds', ':x'], "username can't be empty"],
];

function values(args: string[]) {
  const v: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--no-creds') v['no-creds'] = true;
    else if (a.endsWith('=')) v[a.slice(2, -1)] = '';
    else v[a.slice(2)] = args[++i]!;
  }
  return v;
}

describe('credential flags', () => {
  it('parses USER[:PASS] as skopeo: no ":" means an empty password, the first ":" splits', () => {
    expect(credentialOverrideFromFlags({ creds: 'alice' })).toEqual({ kind: 'flag', flag: '--creds', username: 'alice', password: '' });
    expect(credentialOverrideFromFlags({ creds: 'alice:pa:ss' })).toEqual({ kind: 'flag', flag: '--creds', username: 'alice', password: 'pa:ss' });
    expect(credentialOverrideFromFlags({ username: 'bob', password: '' })).toEqual({ kind: 'flag', flag: '--username', username: 'bob', password: '' });
    expect(credentialOverrideFromFlags({ 'no-creds': true })).toEqual({ kind: 'no-creds' });
    expect(credentialOverrideFromFlags({})).toBeNull();
  });

  it.each(CONFLICTS)('refuses %j with skopeo\'s text', (args, text) => {
    expect(() => credentialOverrideFromFlags(values(args))).toThrow(new UsageError(text));
  });

  it('every command with registry access exits 2 with that text', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-credflags-'));
    for (const cmd of ['pull', 'verify', 'probe', 'load']) {
      const r = await runCli([cmd, '--creds', 'a', '--no-creds', 'docker://127.0.0.1:1/x:1'], { env: hermeticEnv(home) });
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('creds and no-creds cannot be specified at the same time');
    }
    const e = await runCli(['explain', '--creds', 'a', '--no-creds', 'pinging container registry x: Get "https://x/v2/": dial tcp: connection refused'], { env: hermeticEnv(home) });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('creds and no-creds cannot be specified at the same time');
  });

  it.skipIf(skopeoSkipReason() !== null)('skopeo 1.9.3 says the same for each', async () => {
    for (const [args, text] of CONFLICTS) {
      const stderr = await new Promise<string>((resolve) => execFile(SKOPEO_BIN, ['inspect', '--raw', ...args, 'docker://127.0.0.1:1/x'], (_e, _o, se) => resolve(se)));
      expect(stderr).toContain(`msg="${text}"`);
    }
  });
});

describe('credentialFlagsHelp', () => {
  it('ends every sentence with a full stop before the next begins (descriptions run over continuation lines)', () => {
    // The descriptions (from the column after the flags) joined as read: a lower-case word followed by a
    // capitalised one is a sentence that lost its full stop.
    const lines = credentialFlagsHelp.split('\n').slice(1);
    const column = lines[0]!.indexOf('use these');
    const prose = lines.map((l) => l.slice(column)).join(' ');
    expect(prose.match(/\b[a-z]+ [A-Z][a-z]*\b/g) ?? []).toEqual([]);
  });
});
