/**
 * bin/pullpath.js runs the CLI from an esbuild bundle it builds on first use (bin/build-cli.js). The bundle
 * must behave as the sources do: same output for the same command, found from any working directory.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without types
import { bundledCli, sourceStamp } from '../../bin/build-cli.js';

const ROOT = join(import.meta.dirname, '../..');

function run(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/pullpath.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the launcher', () => {
  it('builds the bundle for the current sources and finds it again', async () => {
    const url = (await bundledCli()) as string | null;
    expect(url).not.toBeNull();
    const file = fileURLToPath(url!);
    expect(existsSync(file)).toBe(true);
    expect(file).toContain(join('node_modules', '.cache', 'pullpath', sourceStamp() as string));
  });

  it('the bundle and the sources (PULLPATH_FROM_SOURCE=1) answer the same', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-launch-'));
    const conf = join(home, 'registries.conf');
    await writeFile(conf, '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\n');
    const args = ['resolve', '--registries-conf', conf, '--registries-conf-dir', join(home, 'none.d'), '--output', 'json', 'quay.io/acme/app:1.4'];
    const bundled = await run(args, {});
    const fromSource = await run(args, { PULLPATH_FROM_SOURCE: '1' });
    expect(bundled.code).toBe(0);
    expect(bundled.stdout).toContain('mirror.example.com/acme/app:1.4');
    expect(bundled).toEqual(fromSource);
  });

  it('finds its own files (the demo scenario) from another working directory', async () => {
    const r = await run(['demo', '--no-tui', '--output', 'json'], { CI: 'true' }, tmpdir());
    expect(r.stderr).not.toMatch(/ENOENT/);
    expect(r.code).toBe(0);
  });
});
