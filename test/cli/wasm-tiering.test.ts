/**
 * Short-lived commands compile undici's llhttp WebAssembly with Liftoff only (no TurboFan compile for the exit
 * to wait on); long-lived ones (load, mock, probe --watch) keep V8's default tier-up. cli/wasm-tiering.ts.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmTieringFor } from '../../cli/wasm-tiering.ts';

const ROOT = join(import.meta.dirname, '../..');

function trace(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/pullpath.js'), ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), PULLPATH_STARTUP_TRACE: '1' }, timeout: 60_000 }, (_err, _stdout, stderr) =>
      resolve(stderr),
    );
  });
}

describe('wasmTieringFor', () => {
  it('Liftoff only for commands that end after their work', () => {
    for (const c of ['resolve', 'pull', 'verify', 'policy', 'probe', 'diff', 'scenario', 'demo', 'lint', 'render', 'explain']) expect(wasmTieringFor(c, []), c).toBe('liftoff-only');
  });
  it('the default tier-up for commands that run until stopped', () => {
    expect(wasmTieringFor('load', [])).toBe('default');
    expect(wasmTieringFor('mock', ['x.toml'])).toBe('default');
    expect(wasmTieringFor('probe', ['--watch', '--interval', '5'])).toBe('default');
  });
});

describe('the CLI applies it before loading the command', () => {
  it('pull: liftoff-only; load and probe --watch: default', async () => {
    expect(await trace(['pull', '--help'])).toContain('pullpath-startup: wasm liftoff-only');
    expect(await trace(['load', '--help'])).toContain('pullpath-startup: wasm default');
    expect(await trace(['probe', '--watch', '--help'])).toContain('pullpath-startup: wasm default');
  });
});
