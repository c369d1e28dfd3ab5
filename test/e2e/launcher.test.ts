/**
 * bin/pullpath.js runs the CLI from esbuild bundles built ahead of time (bin/build-cli.mjs: `npm run build`
 * and vitest's global setup), one per command, after checking that the files the run loads are unchanged since
 * the build. The bundles must behave as the sources do (same output for the same command, found from any working
 * directory), a bundle older than its sources must never run (the launcher rebuilds it first), and a bundle runs
 * from the V8 code cache its first run wrote (bin/run-bundle.js), never from a cache V8 rejects.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without types
import { buildCheckoutBundle, bundleState, CACHE_DIR, PRUNE_AGE_MS, pruneOld } from '../../bin/build-cli.mjs';

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
    for (const f of ['_main.cjs', 'resolve.cjs', 'pull.cjs', 'tui.mjs', 'tiering.cjs', 'help.txt', 'bundle-id']) expect(existsSync(join(dir, f)), f).toBe(true);
    // Read as latin1 by bin/run-bundle.js: ASCII only.
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.cjs'))) expect(/[^\x00-\x7f]/.test(readFileSync(join(dir, f), 'latin1')), f).toBe(false);
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

  it('runs each command from its own bundle, `help CMD` too; anything else from _main', async () => {
    const trace = { PULLPATH_STARTUP_TRACE: '1' };
    expect((await run(['resolve', '--help'], trace)).stderr).toMatch(/pullpath-startup: bundle resolve, code cache/);
    expect((await run(['help', 'pull'], trace)).stderr).toMatch(/pullpath-startup: bundle pull, code cache/);
    const typo = await run(['reslove'], trace);
    expect(typo.stderr).toMatch(/pullpath-startup: bundle _main, code cache/);
    expect(typo.stderr).toContain('pullpath: unknown command "reslove"; did you mean "resolve"?');
    expect(typo.code).toBe(2);
    const version = await run(['--version'], trace);
    expect(version.stdout).toBe('pullpath 0.1.0\n');
  });

  it('writes a code cache after a bundle’s first run, uses it after, and never runs from a rejected one', async () => {
    const dir = (await buildCheckoutBundle()) as string; // a fresh build: no cache yet
    const home = await mkdtemp(join(tmpdir(), 'pp-cache-'));
    const conf = join(home, 'registries.conf');
    await writeFile(conf, '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\n');
    const args = ['resolve', '--registries-conf', conf, '--registries-conf-dir', join(home, 'none.d'), '--output', 'json', 'quay.io/acme/app:1.4'];
    const trace = { PULLPATH_STARTUP_TRACE: '1' };
    const cache = join(dir, 'resolve.none.cache');
    try {
      const first = await run(args, trace);
      expect(first.stderr).toContain('pullpath-startup: bundle resolve, code cache none');
      expect(first.stderr).toContain('pullpath-startup: code cache written');
      expect(existsSync(cache)).toBe(true);
      const second = await run(args, trace);
      expect(second.stderr).toContain('pullpath-startup: bundle resolve, code cache used');
      expect(second.stderr).not.toContain('code cache written');
      expect(second.stdout).toBe(first.stdout);
      // A cache V8 refuses (here: garbage; in the field: another Node or other flags) is compiled past and replaced.
      writeFileSync(cache, Buffer.alloc(4096, 7));
      const third = await run(args, trace);
      expect(third.stderr).toContain('pullpath-startup: bundle resolve, code cache rejected');
      expect(third.stderr).toContain('pullpath-startup: code cache written');
      expect(third.stdout).toBe(first.stdout);
      expect((await run(args, trace)).stderr).toContain('code cache used');
      // PULLPATH_CODE_CACHE=0: neither read nor written.
      const off = await run(args, { ...trace, PULLPATH_CODE_CACHE: '0' });
      expect(off.stderr).toContain('pullpath-startup: bundle resolve, code cache off');
      expect(off.stdout).toBe(first.stdout);
      // The source path gives the same answer.
      expect((await run(args, { PULLPATH_FROM_SOURCE: '1' })).stdout).toBe(first.stdout);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('finds its own files (the demo scenario) from another working directory', async () => {
    const r = await run(['demo', '--no-tui', '--output', 'json'], { CI: 'true' }, tmpdir());
    expect(r.stderr).not.toMatch(/ENOENT/);
    expect(r.code).toBe(0);
  });
});
