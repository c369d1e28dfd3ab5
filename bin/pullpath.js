#!/usr/bin/env node
// Entry point. CommonJS (bin/package.json), like everything the launcher loads: starting Node's ES module loader
// costs about 5 ms that `pullpath --help` and `pullpath resolve` would pay at every run.
// - In an installed package (no cli/ beside bin/), it runs the bundles that `npm pack` built into dist/ (the
//   prepack script), with their code caches under the user's cache folder; it never writes into its own install
//   folder.
// - In a source checkout, it runs the bundles in node_modules/.cache/pullpath/ (built by `npm run build`, the
//   test suite's global setup, or the first run), after a cheap check that the files this run loads are as they
//   were at the build (bin/bundle-state.js); when one changed, it builds again first (~1 s), so a stale bundle
//   never runs. Their code caches live beside them.
//   PULLPATH_FROM_SOURCE=1, or a checkout where the bundles cannot be built, runs the TypeScript through tsx.
// - Each run loads one bundle: its command's (bin/run-bundle.js, bin/build-cli.mjs).
// - `pullpath --help` (also -h, help) prints the help.txt saved beside the bundles, without loading one: the
//   process then costs about what `node -e 0` costs. Only a terminal narrower than 80 columns goes through the
//   CLI, which wraps the help to its width.
// PULLPATH_CODE_CACHE=0 runs without V8 code caches (neither read nor written).
// PULLPATH_STARTUP_TRACE=1 writes what the launcher decided to stderr (`pullpath-startup: …` lines; for tests);
// =time adds when each happened.
'use strict';
const { existsSync, readFileSync, writeSync } = require('node:fs');

const args = process.argv.slice(2);
const traceMode = process.env.PULLPATH_STARTUP_TRACE;
const trace =
  traceMode === '1' || traceMode === 'time'
    ? (line) => process.stderr.write(`pullpath-startup: ${line}${traceMode === 'time' ? ` (at ${performance.now().toFixed(1)} ms)` : ''}\n`)
    : () => {};

/** Writes `text` to fd 1 synchronously; false when it could not (the caller then runs the CLI instead). */
function writeHelp(text) {
  let done = 0;
  try {
    while (done < text.length) done += writeSync(1, text, done);
    return true;
  } catch (err) {
    if (err?.code === 'EPIPE') {
      process.exitCode = 141; // a closed output, as the CLI ends on one (cli/lifecycle.ts)
      return true;
    }
    if (done > 0) {
      process.stdout.write(text.subarray(done)); // a non-blocking pipe that filled up: let the stream finish it
      return true;
    }
    return false;
  }
}

/** Serves `pullpath --help` from the bundle folder's help.txt; true when it did. */
function servedHelp(dir) {
  if (args.length !== 1 || (args[0] !== '--help' && args[0] !== '-h' && args[0] !== 'help')) return false;
  if (require('node:tty').isatty(1)) {
    const cols = process.stdout.columns;
    if (cols !== undefined && cols >= 40 && cols < 80) return false;
  }
  let text;
  try {
    text = readFileSync(`${dir}/help.txt`);
  } catch {
    return false;
  }
  if (!writeHelp(text)) return false;
  trace('help served from help.txt');
  return true;
}

/**
 * Loads this run's bundle from `dir`, its code cache kept in `cacheDir` (null: none). V8's flags for the run
 * (cli/wasm-tiering.ts, built as tiering.cjs) are set first: V8 rejects a code cache made under other flags.
 */
function loadRun(dir, cacheDir, onNewCacheDir) {
  const { loadBundle, pickBundle } = require('./run-bundle.js');
  const bundle = pickBundle(dir, args);
  const { applyWasmTiering, wasmTieringFor } = require(`${dir}/tiering.cjs`);
  // As cli/run-main.ts decides it: only a run of the command itself (not `help CMD`) sets it.
  const tiering = bundle.name !== '_main' && args[0] === bundle.name ? wasmTieringFor(bundle.name, args.slice(1)) : 'default';
  applyWasmTiering(tiering);
  const off = cacheDir === null || process.env.PULLPATH_CODE_CACHE === '0';
  const loaded = loadBundle(bundle, off ? null : `${cacheDir}/${bundle.name}.${tiering}.cache`);
  loaded.onNewCacheDir = onNewCacheDir;
  trace(`bundle ${bundle.name}, code cache ${loaded.state}`);
  return loaded;
}

/** The run's loaded bundle ({ exports, … }, see bin/run-bundle.js), or null when the help was served. */
async function loadMain() {
  const checkout = existsSync(`${__dirname}/../cli/main.ts`);
  if (!checkout) {
    const dist = `${__dirname}/../dist`;
    if (servedHelp(dist)) return null;
    if (!existsSync(`${dist}/_main.cjs`)) {
      process.stderr.write('pullpath: this package has no CLI bundle (dist/_main.cjs): it was packed without its prepack script.\nRepack it with `npm pack` (which runs `npm run prepack`), then install the new tarball.\n');
      process.exit(1);
    }
    const { pruneUserCaches, userCacheDir } = require('./run-bundle.js');
    const cacheDir = userCacheDir(dist);
    return loadRun(dist, cacheDir, () => pruneUserCaches(cacheDir));
  }
  if (process.env.PULLPATH_FROM_SOURCE !== '1') {
    // Only the small check module at each run; the builder (and esbuild) when the bundles must be built.
    const state = require('./bundle-state.js').bundleState(args);
    const dir = state.state === 'current' ? state.dir : await (await import('./build-cli.mjs')).checkoutBundle(args);
    if (dir !== null) {
      trace(state.state === 'current' ? 'bundle current' : state.state === 'stale' ? `bundle rebuilt (changed: ${state.changed})` : 'bundle built (none yet)');
      if (servedHelp(dir)) return null;
      return loadRun(dir, dir, undefined);
    }
  }
  trace('running the sources through tsx');
  const { register } = await import('tsx/esm/api');
  register();
  return { exports: await import('../cli/main.ts'), state: 'off' };
}

async function start() {
  const loaded = await loadMain();
  if (loaded === null) return;
  process.exitCode = await loaded.exports.main(args);
  trace('command done');
  if (loaded.state === 'none' || loaded.state === 'rejected') trace(`code cache ${require('./run-bundle.js').saveCodeCache(loaded)}`);
}

start();
