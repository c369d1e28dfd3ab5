/**
 * Short-lived commands compile undici's llhttp WebAssembly with Liftoff only (no TurboFan compile for the exit
 * to wait on); long-lived ones (load, mock, probe --watch) keep V8's default tier-up. cli/wasm-tiering.ts.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { NO_CONNECTIONS, wasmTieringFor } from '../../cli/wasm-tiering.ts';
import { COMMAND_NAMES } from '../../cli/main.ts';
// @ts-expect-error -- plain JavaScript module without types
import { bundleState } from '../../bin/build-cli.mjs';

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
    for (const c of ['pull', 'verify', 'policy', 'probe', 'diff', 'scenario', 'demo']) expect(wasmTieringFor(c, []), c).toBe('liftoff-only');
  });
  it('none (no flag, no node:v8) for commands that never open a connection: their bundles hold no undici client', () => {
    for (const c of ['resolve', 'lint', 'render', 'convert', 'explain']) expect(wasmTieringFor(c, []), c).toBe('none');
    const dir = (bundleState() as { state: string; dir: string }).dir;
    for (const c of COMMAND_NAMES) {
      const holdsClient = readFileSync(`${dir}/${c}.cjs`, 'latin1').includes('"node_modules/undici/lib/dispatcher/client.js"');
      expect(holdsClient, c).toBe(!NO_CONNECTIONS.has(c));
    }
  });
  it('the default tier-up for commands that run until stopped', () => {
    expect(wasmTieringFor('load', [])).toBe('default');
    expect(wasmTieringFor('mock', ['x.toml'])).toBe('default');
    expect(wasmTieringFor('probe', ['--watch', '--interval', '5'])).toBe('default');
  });
});

describe('the CLI applies it before loading the command', () => {
  it('pull: liftoff-only; load and probe --watch: default; resolve: none', async () => {
    expect(await trace(['resolve', '--help'])).toContain('pullpath-startup: wasm none');
    expect(await trace(['pull', '--help'])).toContain('pullpath-startup: wasm liftoff-only');
    expect(await trace(['load', '--help'])).toContain('pullpath-startup: wasm default');
    expect(await trace(['probe', '--watch', '--help'])).toContain('pullpath-startup: wasm default');
  });
});
