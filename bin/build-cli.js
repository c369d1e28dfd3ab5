// Builds the CLI bundle: cli/main.ts and everything it imports from src/ and cli/, bundled by esbuild with npm
// packages left as imports, one chunk per command (commands stay lazy), plus `help.txt`, the top-level help as
// `pullpath --help` prints it at 80 columns (the launcher serves it without loading the bundle).
// - `node bin/build-cli.js dist` (the prepack script) builds it into dist/, which the package ships and runs.
// - `node bin/build-cli.js --checkout` (`npm run build`, vitest's global setup, `npm run bench`) builds the
//   checkout's bundle ahead of time into node_modules/.cache/pullpath/, if it is not current; otherwise the first
//   run after a change builds it. (Not a `prepare` script: npm 11 warns about it at every install of the
//   tarball, where it never runs, and the package must install without warnings.)
// - At each run in a checkout, bundleState() says whether that bundle is current, cheaply: the build records
//   the size and mtime of every file esbuild read and of every folder they sit in (an added, removed or renamed
//   file changes its folder's mtime), grouped by what each command loads; a run checks the groups it will load
//   (cli/main.ts's, and its command's), and any difference means stale: the launcher rebuilds (~0.4 s) before
//   running. No folder walk and no hashing at each run, only stat calls (about 20 for --help, 200 for pull).
//   The sizes and mtimes are taken BEFORE the build reads the files, so an edit made during a build makes the
//   result stale instead of being missed.
// Concurrent builds each write a private folder and then replace `current.json` (an atomic rename); whoever
// renames last wins. Each build then removes older builds' folders (pruneOld: all but the newest two, and only
// those more than an hour old).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// The per-run check lives in bundle-state.js (the launcher loads only that); re-exported for the tests.
import { bundleState, CACHE_DIR, fingerprint, POINTER } from './bundle-state.js';

export { bundleState, CACHE_DIR };

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Files that shape the bundle without being imported by it (bundle-state.js reads the record this one writes). */
const RECIPE = ['bin/build-cli.js', 'bin/bundle-state.js', 'package.json', 'tsconfig.json'];

function sourceFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) sourceFiles(full, out);
  }
  return out;
}

/**
 * Builds the bundle into `outdir` (which must not exist yet). Returns esbuild's import graph: each file it read
 * (relative to the root) with the files it imports, statically or dynamically.
 */
export async function buildCli(outdir) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'cli/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // npm packages stay imports, except two small ES-module-only ones that every config-reading command loads:
    // inlined, they are one chunk instead of ten modules for Node's ES loader to resolve and link (start-up).
    external: EXTERNAL,
    outExtension: { '.js': '.mjs' },
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    logLevel: 'silent',
  });
  const { topHelpText } = await import(pathToFileURL(join(outdir, 'main.mjs')).href);
  writeFileSync(join(outdir, 'help.txt'), topHelpText());
  // esbuild names inputs relative to its working directory.
  const rel = (p) => relative(root, resolve(p));
  const graph = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(rel(file), input.imports.filter((i) => !i.external).map((i) => rel(i.path)));
  }
  return graph;
}

/** Every runtime dependency but smol-toml and p-limit (with its yocto-queue), as `packages: 'external'` would. */
const EXTERNAL = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)
  .filter((name) => name !== 'smol-toml' && name !== 'p-limit')
  .flatMap((name) => [name, `${name}/*`]);

const COMMAND_FILE = /^cli\/commands\/([a-z-]+)\.ts$/;

/**
 * What a run loads, per group: `main` is cli/main.ts and what it imports (the help text comes from it), without
 * the commands; each command's group is its file and everything it imports, dynamic imports included (a chunk
 * loaded late in a run is as much part of it). Each group lists its files and every folder above them.
 */
function inputGroups(graph) {
  const closure = (start, skip) => {
    const seen = new Set();
    const todo = [start];
    while (todo.length > 0) {
      const f = todo.pop();
      if (seen.has(f) || !graph.has(f)) continue;
      seen.add(f);
      for (const next of graph.get(f)) if (!skip(next)) todo.push(next);
    }
    for (const f of [...seen]) for (let d = dirname(f); d !== '.' && d !== ''; d = dirname(d)) seen.add(d);
    return seen;
  };
  const groups = { main: closure('cli/main.ts', (f) => COMMAND_FILE.test(f)) };
  for (const RECIPE_FILE of RECIPE) groups.main.add(RECIPE_FILE);
  for (const f of graph.keys()) {
    const m = COMMAND_FILE.exec(f);
    if (m) groups[m[1]] = closure(f, () => false);
  }
  return groups;
}

/** Builds the checkout's bundle and makes it current; returns its folder. */
export async function buildCheckoutBundle() {
  mkdirSync(CACHE_DIR, { recursive: true });
  // Fingerprints first (see the header), of everything that could be an input; trimmed to the real inputs after.
  const before = new Map();
  for (const rel of [...RECIPE, 'src', 'cli', ...['src', 'cli'].flatMap((d) => sourceFiles(join(root, d), []).map((f) => relative(root, f)))]) {
    const fp = fingerprint(rel);
    if (fp !== null) before.set(rel, fp);
  }
  const name = `b-${Date.now().toString(36)}-${process.pid}`;
  const dir = join(CACHE_DIR, name);
  const groups = inputGroups(await buildCli(dir));
  const files = [];
  const index = new Map();
  const indexOf = (rel) => {
    if (!index.has(rel)) {
      index.set(rel, files.length);
      // An input from outside src/ and cli/ (none today) was not fingerprinted before: record it as it is now.
      files.push(before.get(rel) ?? fingerprint(rel) ?? [rel, -2, 0]);
    }
    return index.get(rel);
  };
  const out = {};
  for (const [group, members] of Object.entries(groups)) out[group] = [...members].sort().map(indexOf);
  const tmp = `${POINTER}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir: name, builtAt: new Date().toISOString(), files, groups: out }));
  renameSync(tmp, POINTER);
  pruneOld(name);
  return dir;
}

/** The checkout's bundle folder, built first when missing or stale; null when it cannot be built here. */
export async function checkoutBundle(args) {
  const s = bundleState(args);
  if (s.state === 'current') return s.dir;
  try {
    return await buildCheckoutBundle();
  } catch {
    return null;
  }
}

/** A build folder's creation time, from its name (`b-<ms in base 36>-<pid>`); NaN for anything else. */
function builtAtOf(name) {
  const m = /^b-([0-9a-z]+)-\d+$/.exec(name);
  return m ? parseInt(m[1], 36) : NaN;
}

export const PRUNE_KEEP = 2;
export const PRUNE_AGE_MS = 3_600_000;

/**
 * Removes the folders of older builds, each new build leaving one more (an edit-run loop left dozens): all but
 * the newest PRUNE_KEEP (the new one, and the one a run started just before may be loading), and only those
 * built more than an hour ago, because a process started on an older bundle may still load one of its lazy
 * chunks (a long `load` or `probe --watch` reaching a signature verifier). `now` is for tests.
 */
export function pruneOld(keep, now = Date.now()) {
  const builds = readdirSync(CACHE_DIR)
    .map((name) => ({ name, builtAt: builtAtOf(name) }))
    .filter((b) => !Number.isNaN(b.builtAt))
    .sort((a, b) => b.builtAt - a.builtAt);
  const kept = new Set([keep, ...builds.slice(0, PRUNE_KEEP).map((b) => b.name)]);
  const removed = [];
  for (const b of builds) {
    if (kept.has(b.name) || now - b.builtAt < PRUNE_AGE_MS) continue;
    try {
      rmSync(join(CACHE_DIR, b.name), { recursive: true, force: true });
      removed.push(b.name);
    } catch {
      // best effort: another build may be pruning the same folder
    }
  }
  return removed;
}

/**
 * `node bin/build-cli.js DIR`: a fresh bundle in DIR, for the package (prepack).
 * `node bin/build-cli.js --checkout`: the checkout's bundle, unless it is current (npm run build; vitest global setup).
 */
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  if (process.argv[2] === '--checkout') {
    const s = bundleState();
    if (s.state === 'current') console.log(`pullpath: CLI bundle is current (${relative(process.cwd(), s.dir)})`);
    else {
      try {
        console.log(`pullpath: CLI bundle built in ${relative(process.cwd(), await buildCheckoutBundle())}`);
      } catch (err) {
        // Not fatal: the launcher builds again on first use, or runs the sources through tsx.
        console.log(`pullpath: CLI bundle not built (${String(err?.message ?? err).split('\n')[0]}); bin/pullpath.js will try again on first use`);
      }
    }
  } else {
    const outdir = resolve(root, process.argv[2] ?? 'dist');
    rmSync(outdir, { recursive: true, force: true });
    await buildCli(outdir);
    console.log(`pullpath: CLI bundle built in ${relative(process.cwd(), outdir) || '.'}`);
  }
}
