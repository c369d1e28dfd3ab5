/**
 * `npm ci` must print no warnings. npm 11 warns about every dependency whose install script is neither allowed
 * nor denied in package.json's `allowScripts`; `npm install-scripts ls` lists the same packages, read-only.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmEnv } from '../helpers/npm-env.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('install scripts', () => {
  it('every dependency with an install script is allowed or denied in package.json', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['install-scripts', 'ls'], { cwd: ROOT, env: npmEnv(), timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(err) : resolve(stdout + stderr))),
    );
    expect(out).not.toMatch(/not yet covered/);
    expect(out).toMatch(/No packages with unreviewed install scripts/);
  });

  it('allows esbuild (its postinstall checks its platform binary) and denies msw (it copies a browser worker)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts).toEqual({ esbuild: true, msw: false });
  });
});
