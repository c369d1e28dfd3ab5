/**
 * `pullpath lint` end to end: the real CLI on fixture files, with HOME and the drop-in dir pointed at temp
 * places so the machine's own /etc/containers and ~/.config never leak in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/pullpath.js', import.meta.url).pathname;
const fixtures = new URL('../fixtures/config/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pullpath-lint-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lint(args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'lint', '--registries-conf-dir', join(tmp, 'no-dropins'), '--short-name-aliases', join(tmp, 'no-aliases.conf'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tmp },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pullpath lint', () => {
  it('prints warnings with file:line and exits 0 without --strict, 1 with it', () => {
    const conf = join(fixtures, 'mirror-key-misplaced.conf');
    const r = lint(['--registries-conf', conf]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${conf}:5: warning PP_LINT_KEY_IN_MIRROR_TABLE`);
    expect(r.stdout).toContain('fix: move "blocked" up');
    expect(r.stdout).toContain('0 error(s), 2 warning(s)');
    expect(lint(['--registries-conf', conf, '--strict']).code).toBe(1);
  });

  it('reports a load error with the runtime wording and exits 1', () => {
    const conf = join(tmp, 'bad.conf');
    writeFileSync(conf, '[[registry]]\nprefix = "example.com"\n');
    const r = lint(['--registries-conf', conf]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${conf}:1: error PP_ERR_CONFIG_INVALID: loading registries configuration "${conf}": invalid condition: location is unset and prefix is not in the format: *.example.com`,
    );
  });

  it('writes JSON Lines with --output json', () => {
    const r = lint(['--registries-conf', join(fixtures, 'mirror-key-misplaced.conf'), '--output', 'json']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.code, l.line])).toEqual([
      ['PP_LINT_KEY_IN_MIRROR_TABLE', 5],
      ['PP_LINT_TOP_LEVEL_KEY_IN_TABLE', 6],
    ]);
    expect(Object.keys(lines[0]!)).toEqual(['type', 'severity', 'code', 'file', 'line', 'message', 'fix']);
  });

  it('fails with exit 1 when an explicit --registries-conf does not exist', () => {
    const missing = join(tmp, 'missing.conf');
    const r = lint(['--registries-conf', missing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`open ${missing}: no such file or directory`);
  });

  it('exits 2 on bad usage and documents every flag in --help', () => {
    expect(lint(['--output', 'yaml']).code).toBe(2);
    expect(lint(['--bogus']).code).toBe(2);
    const help = spawnSync(process.execPath, [bin, 'lint', '--help'], { encoding: 'utf8', timeout: 30_000 }).stdout;
    for (const flag of ['--strict', '--output', '--registries-conf', '--registries-conf-dir', '--short-name-aliases', '--compat']) {
      expect(help).toContain(flag);
    }
  });
});
