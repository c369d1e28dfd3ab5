// Builds the CLI's bundles with esbuild: one per command (`pull.cjs`, `resolve.cjs`, …), each holding that
// command and everything it imports from src/, cli/ and undici, plus `_main.cjs` for the runs that name no command
// (`pullpath`, `--version`, a typo), `tiering.cjs` (cli/wasm-tiering.ts, which the launcher applies before it
// compiles a bundle), `tui.mjs` (the Ink TUI, an ES module: ink is ES-only and awaits at its top level, so no
// CommonJS bundle can hold it), `help.txt` (the top-level help at 80 columns, which the launcher serves without
// loading a bundle) and `bundle-id` (a content hash: the key of an installed package's code caches).
// Why one bundle per command, in CommonJS (start-up, issue 14): Node's ES loader resolves, reads, compiles and
// links every module of a run on its own, and nothing it compiles can come from a code cache on Node 20. A
// CommonJS bundle is one file that bin/run-bundle.js compiles from V8's code cache after its first run; one per
// command keeps each file, and each cache, to what that command runs.
// Each bundle is written as one function expression (see bin/run-bundle.js) and is ASCII only (checked here).
// npm packages stay `require`s of node_modules, except undici (bundled, so its code is cached with ours: its
// ~30 modules cost about 35 ms to load through require), smol-toml and p-limit (small, ES-only).
// - `node bin/build-cli.mjs dist` (the prepack script) builds them into dist/, which the package ships and runs.
// - `node bin/build-cli.mjs --checkout` (`npm run build`, vitest's global setup, `npm run bench`) builds the
//   checkout's bundles ahead of time into node_modules/.cache/pullpath/, if they are not current; otherwise the
//   first run after a change builds them. (Not a `prepare` script: npm 11 warns about it at every install of the
//   tarball, where it never runs, and the package must install without warnings.)
// - At each run in a checkout, bundleState() says whether the bundles are current, cheaply: the build records
//   the size and mtime of every file esbuild read and of every folder they sit in (an added, removed or renamed
//   file changes its folder's mtime), grouped by what each command loads; a run checks the groups it will load
//   (cli/run-main.ts's, and its command's), and any difference means stale: the launcher rebuilds (~1 s) before
//   running. No folder walk and no hashing at each run, only stat calls (about 20 for --help, 200 for pull).
//   The sizes and mtimes are taken BEFORE the build reads the files, so an edit made during a build makes the
//   result stale instead of being missed.
// Concurrent builds each write a private folder and then replace `current.json` (an atomic rename); whoever
// renames last wins. Each build then removes older builds' folders (pruneOld: all but the newest two, and only
// those more than an hour old).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The per-run check lives in bundle-state.js (the launcher loads only that); re-exported for the tests.
import { bundleState, CACHE_DIR, fingerprint, POINTER } from './bundle-state.js';

export { bundleState, CACHE_DIR };

const require = createRequire(import.meta.url);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Files that shape the bundle without being imported by it (bundle-state.js reads the record this one writes). */
const RECIPE = ['bin/build-cli.mjs', 'bin/bundle-state.js', 'package.json', 'tsconfig.json'];

function sourceFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) sourceFiles(full, out);
  }
  return out;
}

/** npm packages left as `require`s: every runtime dependency but undici, smol-toml and p-limit (see the header). */
const EXTERNAL = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)
  .filter((name) => name !== 'undici' && name !== 'smol-toml' && name !== 'p-limit')
  .flatMap((name) => [name, `${name}/*`]);

/** The parameters of a bundle's function (bin/run-bundle.js passes them in this order). */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __pp_import, __pp_url) {';
/** The TUI module as the commands import it, and the ES module it becomes beside the bundles. */
const TUI_SOURCE = /[\\/]cli[\\/]tui[\\/]render\.tsx$/;
const TUI_MODULE = './tui.mjs';
/** Sources whose `createRequire(import.meta.url)` is the bundle's own require in a bundle (see undiciRequire). */
const CREATE_REQUIRE_LINE = /^const require = createRequire\(import\.meta\.url\);$/m;

/** Per-command entries: `pp-entry:NAME` is cli/run-main.ts with command NAME only (`_main`: with none). */
const entries = {
  name: 'pullpath-entries',
  setup(build) {
    build.onResolve({ filter: /^pp-entry:/ }, (a) => ({ path: a.path.slice('pp-entry:'.length), namespace: 'pp-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'pp-entry' }, (a) => {
      const command = a.path;
      const load =
        command === '_main'
          ? `async (name) => { throw new Error('command "' + name + '" is not in this bundle'); }`
          : `async (name) => { if (name !== ${JSON.stringify(command)}) throw new Error('command "' + name + '" is not in this bundle'); return import('./commands/${command}.ts'); }`;
      return {
        contents: `import { runMain } from './run-main.ts';\nexport { COMMAND_NAMES, topHelpText } from './run-main.ts';\nexport function main(argv) { return runMain(argv, ${load}); }\n`,
        resolveDir: join(root, 'cli'),
        loader: 'ts',
      };
    });
  },
};

/** The TUI stays out of the CommonJS bundles: they import it from tui.mjs (see the header). */
const tuiExternal = {
  name: 'pullpath-tui-external',
  setup(build) {
    build.onResolve({ filter: /tui\/render\.tsx$/ }, (a) => (TUI_SOURCE.test(resolve(a.resolveDir, a.path)) ? { path: TUI_MODULE, external: true } : undefined));
  },
};

/**
 * In the sources, undici's modules (src/registry/undici-core.ts) and yaml (src/signature/registries-d.ts) are
 * required through `createRequire(import.meta.url)`, which esbuild cannot follow. In a CommonJS bundle that line
 * goes, so `require` is the bundle's own: esbuild bundles undici's modules and leaves yaml a require of
 * node_modules. A source that no longer has the line fails the build instead of silently loading undici twice.
 */
const undiciRequire = {
  name: 'pullpath-bundle-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/](registry[\\/]undici-core|signature[\\/]registries-d)\.ts$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8');
      if (!CREATE_REQUIRE_LINE.test(text)) throw new Error(`${relative(root, a.path)}: expected \`const require = createRequire(import.meta.url);\` (bin/build-cli.mjs)`);
      return { contents: text.replace(CREATE_REQUIRE_LINE, ''), loader: 'ts' };
    });
  },
};

/**
 * undici's client loads its HTTP/2 module (and with it node:http2, about 2-3 ms) at start, and calls it only on
 * a connection whose TLS handshake chose h2, which pullpath never offers (undici's allowH2 stays false). In a
 * bundle, client.js gets a stand-in that requires the real module on that first call: the same function, later.
 */
const lazyUndiciH2 = {
  name: 'pullpath-lazy-undici-h2',
  setup(build) {
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (a) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher$/.test(a.resolveDir) && a.namespace === 'file' ? { path: join(a.resolveDir, 'client-h2.js'), namespace: 'pp-lazy-h2' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'pp-lazy-h2' }, (a) => ({
      contents: `let real;\nmodule.exports = function connectH2() {\n  real ??= require(${JSON.stringify(a.path)});\n  return real.apply(this, arguments);\n};\n`,
      resolveDir: dirname(a.path),
      loader: 'js',
    }));
  },
};

/** esbuild's metafile imports as the staleness record wants them: the TUI module is its source file. */
function addToGraph(graph, metafile) {
  // The lazy stand-in for undici's client-h2.js (lazyUndiciH2) stands for that file.
  const rel = (p) => relative(root, resolve(p.startsWith('pp-lazy-h2:') ? p.slice('pp-lazy-h2:'.length) : p));
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.startsWith('pp-entry:') || file.startsWith('pp-lazy-h2:')) continue;
    const imports = [];
    for (const i of input.imports) {
      if (!i.external) imports.push(rel(i.path));
      else if (i.path === TUI_MODULE) imports.push('cli/tui/render.tsx');
    }
    graph.set(rel(file), [...new Set([...(graph.get(rel(file)) ?? []), ...imports])]);
  }
}

/** Post-processes one CommonJS bundle's text (see tuiExternal and the header); throws on what a bundle must not hold. */
function finishBundle(path, text) {
  const out = text.replaceAll(`import("${TUI_MODULE}")`, `__pp_import("${TUI_MODULE}")`);
  // eslint-disable-next-line no-control-regex
  const wide = /[^\x00-\x7f]/.exec(out);
  // esbuild escapes non-ASCII in strings and templates but not in regular expression literals: write those as \\uXXXX.
  if (wide !== null) throw new Error(`${path}: a non-ASCII character in ${JSON.stringify(out.slice(Math.max(0, wide.index - 60), wide.index + 20))}: bin/run-bundle.js reads bundles as latin1; escape it in the source (\\u${wide[0].charCodeAt(0).toString(16).padStart(4, '0')})`);
  for (const m of out.matchAll(/(?<![\w$.])import\(/g)) {
    const lineStart = out.lastIndexOf('\n', m.index) + 1;
    if (!/^\s*(\/\/|\*)/.test(out.slice(lineStart, m.index))) throw new Error(`${path}: a dynamic import() at offset ${m.index}: a bundle compiled by vm.Script cannot run it (use __pp_import)`);
  }
  return out;
}

/**
 * Builds the bundles into `outdir` (which must not exist yet). Returns esbuild's import graph: each file it read
 * (relative to the root) with the files it imports, statically or dynamically.
 */
export async function buildCli(outdir) {
  const esbuild = await import('esbuild');
  const graph = new Map();
  const common = { bundle: true, platform: 'node', target: 'node20', tsconfig: join(root, 'tsconfig.json'), metafile: true, logLevel: 'silent', charset: 'ascii', minifyWhitespace: true, legalComments: 'external' };
  const cjs = {
    ...common,
    format: 'cjs',
    external: EXTERNAL,
    plugins: [entries, tuiExternal, undiciRequire, lazyUndiciH2],
    define: { 'import.meta.url': '__pp_url' },
    banner: { js: WRAPPER_HEAD },
    footer: { js: '})' },
    outdir,
    outExtension: { '.js': '.cjs' },
    write: false,
  };
  const write = (result) => {
    addToGraph(graph, result.metafile);
    for (const f of result.outputFiles) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.path.endsWith('.cjs') ? finishBundle(relative(root, f.path), f.text) : f.text);
    }
  };
  // The runs without a command, the TUI, and the tiering the launcher applies before compiling a bundle.
  write(await esbuild.build({ ...cjs, entryPoints: [{ in: 'pp-entry:_main', out: '_main' }] }));
  write(await esbuild.build({ ...common, format: 'esm', external: [...EXTERNAL, 'undici', 'undici/*'], entryPoints: [join(root, 'cli/tui/render.tsx')], outfile: join(outdir, 'tui.mjs'), write: false }));
  write(await esbuild.build({ ...common, format: 'cjs', entryPoints: [join(root, 'cli/wasm-tiering.ts')], outfile: join(outdir, 'tiering.cjs'), write: false }));
  const { loadBundle, pickBundle } = require('./run-bundle.js');
  const main = loadBundle(pickBundle(outdir, []), null).exports;
  // One build for all the commands: esbuild parses each shared source once.
  write(await esbuild.build({ ...cjs, entryPoints: main.COMMAND_NAMES.map((name) => ({ in: `pp-entry:${name}`, out: name })) }));
  writeFileSync(join(outdir, 'help.txt'), main.topHelpText());
  const hash = createHash('sha256');
  for (const name of readdirSync(outdir).sort()) hash.update(name).update(readFileSync(join(outdir, name)));
  writeFileSync(join(outdir, 'bundle-id'), `${hash.digest('hex').slice(0, 32)}\n`);
  return graph;
}

const COMMAND_FILE = /^cli\/commands\/([a-z-]+)\.ts$/;

/**
 * What a run loads, per group: `main` is cli/run-main.ts and what it imports (the help text comes from it),
 * without the commands; each command's group is its file and everything it imports, dynamic imports included (a
 * module loaded late in a run is as much part of it, the TUI too). Each group lists its files and every folder
 * above them.
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
  const groups = { main: closure('cli/run-main.ts', (f) => COMMAND_FILE.test(f)) };
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
 * `node bin/build-cli.mjs DIR`: a fresh bundle in DIR, for the package (prepack).
 * `node bin/build-cli.mjs --checkout`: the checkout's bundle, unless it is current (npm run build; vitest global setup).
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
