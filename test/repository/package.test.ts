/**
 * The package as a user outside the clone gets it: `npm pack` (whose prepack script builds the CLI bundle into
 * dist/), installed with `npm install -g --prefix DIR` (the README's install step), run from another folder.
 * The tarball holds only what the installed CLI and the library exports need, the bin runs the prebuilt bundle,
 * and nothing is written into the install folder. Dependencies come from the npm cache or the registry.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmEnv } from '../helpers/npm-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string>; exports: Record<string, string>; dependencies: Record<string, string> };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function filesUnder(dir: string, out: string[] = [], base = dir): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) filesUnder(full, out, base);
    else out.push(relative(base, full));
  }
  return out;
}

let work: string;
let tarball: string;
let packed: string[];
let prefix: string;
let installed: string;
let install: Run;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-package-'));
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  packed = info!.files.map((f) => f.path).sort();
  prefix = join(work, 'prefix');
  install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], work);
  installed = join(prefix, 'lib', 'node_modules', pkg.name);
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  if (tarball) await forgetNpxInstall(tarball);
});

/** npx installs a tarball into the npm cache's _npx/HASH/, keyed by its path: a new entry per run, so remove ours. */
async function forgetNpxInstall(file: string): Promise<void> {
  const cache = (await run('npm', ['config', 'get', 'cache'], tmpdir())).stdout.trim();
  const npx = join(cache, '_npx');
  if (!cache || !existsSync(npx)) return;
  for (const id of readdirSync(npx)) {
    try {
      const manifest = JSON.parse(readFileSync(join(npx, id, 'package.json'), 'utf8')) as { _npx?: { packages?: string[] } };
      if (manifest._npx?.packages?.includes(file)) await rm(join(npx, id), { recursive: true, force: true });
    } catch {
      // another run's entry, half written or gone: not ours
    }
  }
}

describe('npm pack', () => {
  it('ships the bundle built at pack time, the bin, the demo scenario and the sources the exports name', () => {
    for (const f of ['dist/_main.cjs', 'dist/pull.cjs', 'dist/resolve.cjs', 'dist/tui.mjs', 'dist/tiering.cjs', 'dist/help.txt', 'dist/bundle-id', 'bin/run-bundle.js', 'bin/package.json']) expect(packed).toContain(f);
    expect(packed).toContain('scenarios/demo.toml');
    for (const target of [...Object.values(pkg.bin), ...Object.values(pkg.exports)]) expect(packed).toContain(target.replace(/^\.\//, ''));
  });

  it('ships nothing a user of the package does not need', () => {
    const extra = packed.filter((f) => !/^(dist\/[a-z_-]+\.(cjs|mjs)|dist\/[a-z_-]+\.cjs\.LEGAL\.txt|dist\/help\.txt|dist\/bundle-id|src\/.+\.tsx?|bin\/(pullpath|run-bundle)\.js|bin\/package\.json|scenarios\/demo\.toml|package\.json|README\.md)$/.test(f));
    expect(extra).toEqual([]);
  });
});

describe('npm install -g from the tarball', () => {
  it('installs without warnings', () => {
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout + install.stderr).not.toMatch(/npm warn/i);
  });

  it('installs the files of the tarball and no build tool', () => {
    expect(filesUnder(installed).filter((f) => !f.startsWith('node_modules/')).sort()).toEqual(packed);
    expect(existsSync(join(installed, 'node_modules', 'esbuild')) || existsSync(join(prefix, 'lib', 'node_modules', 'esbuild'))).toBe(false);
  });

  it('runs `pullpath --version` from another folder', async () => {
    const r = await run(join(prefix, 'bin', 'pullpath'), ['--version'], work);
    expect(r).toEqual({ code: 0, stdout: `pullpath ${pkg.version}\n`, stderr: '' });
  });

  it('prints `pullpath --help` from the help text saved at pack time, as the clone prints it', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: work, PULLPATH_STARTUP_TRACE: '1' };
    const fromPackage = await run(join(prefix, 'bin', 'pullpath'), ['--help'], work, env);
    const fromSources = await run(process.execPath, [join(ROOT, 'bin', 'pullpath.js'), '--help'], work, { ...env, PULLPATH_FROM_SOURCE: '1' });
    expect(fromPackage.code, fromPackage.stderr).toBe(0);
    expect(fromPackage.stderr).toBe('pullpath-startup: help served from help.txt\n');
    expect(fromPackage.stdout).toBe(fromSources.stdout);
    expect(fromPackage.stdout).toContain('Usage: pullpath COMMAND');
  });

  it('resolves a reference from another folder, as the clone does', async () => {
    const conf = join(work, 'registries.conf');
    await writeFile(conf, '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\n');
    const args = ['resolve', '--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), '--output', 'json', 'quay.io/acme/app:1.4'];
    const env = { PATH: process.env.PATH ?? '', HOME: work };
    const fromPackage = await run(join(prefix, 'bin', 'pullpath'), args, work, env);
    const fromClone = await run(process.execPath, [join(ROOT, 'bin', 'pullpath.js'), ...args], work, env);
    expect(fromPackage.code, fromPackage.stderr).toBe(0);
    expect(JSON.parse(fromPackage.stdout).sources.map((s: { reference: string }) => s.reference)).toEqual(['mirror.example.com/acme/app:1.4', 'quay.io/acme/app:1.4']);
    expect(fromPackage).toEqual(fromClone);
  });

  it('runs the demo (its scenario and mock registries) from another folder', async () => {
    const r = await run(join(prefix, 'bin', 'pullpath'), ['demo', '--no-tui', '--output', 'json'], work, { PATH: process.env.PATH ?? '', HOME: work, CI: 'true' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('the bundle imports only Node built-ins and runtime dependencies (every command, not only those run here)', () => {
    const imported = new Set<string>();
    for (const f of packed.filter((p) => p.startsWith('dist/'))) {
      const text = readFileSync(join(installed, f), 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\w*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.:-]*(?:\/[\w./-]*)?)["']/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('never writes into its own install folder; keeps its code caches in the user’s cache folder', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pp-package-home-'));
    const env = { PATH: process.env.PATH ?? '', HOME: home, PULLPATH_STARTUP_TRACE: '1' };
    try {
      await run(join(prefix, 'bin', 'pullpath'), ['--help'], work, env);
      await writeFile(join(home, 'empty.conf'), '');
      const first = await run(join(prefix, 'bin', 'pullpath'), ['resolve', '--registries-conf', join(home, 'empty.conf'), '--registries-conf-dir', join(home, 'none.d'), 'quay.io/acme/app:1.4'], work, env);
      expect(first.stderr).toContain('pullpath-startup: bundle resolve, code cache none');
      expect(first.stderr).toContain('pullpath-startup: code cache written');
      const id = readFileSync(join(installed, 'dist', 'bundle-id'), 'utf8').trim();
      expect(readdirSync(join(home, '.cache', 'pullpath', 'code-cache'))).toEqual([id]);
      expect(readdirSync(join(home, '.cache', 'pullpath', 'code-cache', id))).toEqual(['resolve.none.cache']);
      const second = await run(join(prefix, 'bin', 'pullpath'), ['resolve', '--registries-conf', join(home, 'empty.conf'), '--registries-conf-dir', join(home, 'none.d'), 'quay.io/acme/app:1.4'], work, env);
      expect(second.stderr).toContain('pullpath-startup: bundle resolve, code cache used');
      expect(second.stdout).toBe(first.stdout);
      expect(filesUnder(installed).filter((f) => !f.startsWith('node_modules/')).sort()).toEqual(packed);
      expect(existsSync(join(installed, 'node_modules', '.cache'))).toBe(false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('npx --package TARBALL (the README\'s way to run it before the name is published)', () => {
  it('runs pullpath from the tarball', async () => {
    const r = await run('npx', ['--yes', '--prefer-offline', '--package', tarball, 'pullpath', '--version'], work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`pullpath ${pkg.version}\n`);
  }, 240_000); // npx installs the tarball's dependencies into its own folder first
});
