/** The entry point as a user meets it: a mistyped command, `help CMD`, -o, and help that fits 80 columns. */
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';
import { COMMAND_NAMES } from '../../cli/main.ts';

// Every command the entry point knows, so a new command is covered without editing this list.
const COMMANDS = COMMAND_NAMES;

function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => [...l].length));
}

describe('pullpath (entry point)', () => {
  it('suggests the command meant by a typo', async () => {
    const r = await runCli(['reslove', 'quay.io/a/b:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "reslove"; did you mean "resolve"?');
  });

  it('suggests the flag meant by a typo, with no Node parser text', async () => {
    const r = await runCli(['pull', '--timout', '2', 'quay.io/a/b:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pullpath pull: unknown flag --timout; did you mean --timeout?\n');
  });

  it('`help CMD` prints that command\'s help, as `CMD --help` does', async () => {
    const viaHelp = await runCli(['help', 'verify']);
    const viaFlag = await runCli(['verify', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: pullpath verify/);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    const unknown = await runCli(['help', 'verfy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "verify"?');
  });

  it('takes -o for --output', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-main-'));
    const r = await runCli(['resolve', '--registries-conf-dir', join(home, 'none.d'), '-o', 'json', 'docker://quay.io/a/b:1'], { env: hermeticEnv(home) });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.split('\n')[0]!)).toBeTypeOf('object');
  });

  it('every help text fits 80 columns and documents -o where --output exists', async () => {
    const usage = await runCli(['--help']);
    expect(widest(usage.stdout)).toBeLessThanOrEqual(80);
    for (const name of COMMANDS) {
      const r = await runCli(['help', name]);
      expect(r.code, name).toBe(0);
      expect(widest(r.stdout), `${name} --help is wider than 80 columns`).toBeLessThanOrEqual(80);
      if (r.stdout.includes('--output')) expect(r.stdout, name).toContain('-o, --output');
      expect(r.stdout, `${name}: a placeholder left in the help`).not.toMatch(/\bDEFAULT_[A-Z_]+\b/);
      // What Ctrl-C and a closed pipe do, under every command's help.
      expect(r.stdout.replace(/\s+/g, ' '), name).toContain('exits 130; a closed output (`| head`) ends it quietly with exit 141');
    }
  }, 120_000);
});
