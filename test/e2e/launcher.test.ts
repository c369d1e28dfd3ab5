/**
 * bin/pullpath.js runs the CLI from an esbuild bundle built ahead of time (bin/build-cli.js: the prepare script
 * and vitest's global setup), after checking that the files the run loads are unchanged since the build. The
 * bundle must behave as the sources do (same output for the same command, found from any working directory),
 * and a bundle older than its sources must never run: the launcher rebuilds it first.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without types
import { buildCheckoutBundle, bundleState, CACHE_DIR, PRUNE_AGE_MS, pruneOld } from '../../bin/build-cli.js';

const ROOT = join(import.meta.dirname, '../..');

function run(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/pullpath.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the launcher', () => {
  it('builds the bundle for the current sources and finds it current', async () => {
    const dir = (await buildCheckoutBundle()) as string;
    expect(dir.startsWith(CACHE_DIR)).toBe(true);
    expect(existsSync(join(dir, 'main.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'help.txt'))).toBe(true);
    expect(bundleState()).toEqual({ state: 'current', dir });
  });

  it('a build removes older builds’ folders: all but the newest two, and only those more than an hour old', async () => {
    const dir = (await buildCheckoutBundle()) as string;
    const current = dir.slice(CACHE_DIR.length + 1);
    // Fake build folders, named as builds name them, far enough in the past or future not to meet real ones.
    const now = Date.now();
    const name = (t: number, pid: number) => `b-${t.toString(36)}-${pid}`;
    const future = [name(now + 10 * 86_400_000, 1), name(now + 9 * 86_400_000, 2)]; // the newest two
    const recent = name(now - PRUNE_AGE_MS + 60_000, 3); // not among the newest two, but less than an hour old
    const old = [name(now - PRUNE_AGE_MS - 60_000, 4), name(now - 30 * 86_400_000, 5)];
    for (const n of [...future, recent, ...old]) mkdirSync(join(CACHE_DIR, n));
    try {
      const removed = pruneOld(current, now) as string[];
      const left = readdirSync(CACHE_DIR);
      for (const n of old) expect(left, n).not.toContain(n);
      expect(removed).toEqual(expect.arrayContaining(old));
      for (const n of [...future, recent, current]) expect(left, n).toContain(n);
      expect(left).toContain('current.json');
      expect(bundleState()).toEqual({ state: 'current', dir });
    } finally {
      for (const n of [...future, recent, ...old]) await rm(join(CACHE_DIR, n), { recursive: true, force: true });
    }
  });

  it('rebuilds before running when a file the run loads changed, and only then', async () => {
    const trace = { PULLPATH_STARTUP_TRACE: '1' };
    await run(['--version'], trace); // current from here
    // A file that only `resolve` loads: `--help` need not rebuild for it; `resolve` must.
    const onlyResolve = join(ROOT, 'src/report/resolution-text.ts');
    const later = new Date(statSync(onlyResolve).mtimeMs + 2000);
    utimesSync(onlyResolve, later, later);
    const help = await run(['--help'], trace);
    expect(help.stderr).toContain('pullpath-startup: bundle current');
    const resolve = await run(['resolve', '--help'], trace);
    expect(resolve.stderr).toContain('pullpath-startup: bundle rebuilt (changed: src/report/resolution-text.ts)');
    expect((await run(['resolve', '--help'], trace)).stderr).toContain('pullpath-startup: bundle current');
    // A file added where the sources are (its folder's mtime changes): rebuilt too.
    const added = join(ROOT, 'cli', `.launcher-test-${process.pid}.ts`);
    await writeFile(added, 'export {};\n');
    try {
      expect((await run(['--version'], trace)).stderr).toMatch(/pullpath-startup: bundle rebuilt \(changed: cli\)/);
    } finally {
      await rm(added, { force: true });
    }
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
