#!/usr/bin/env node
// Entry point.
// - In an installed package (no cli/ beside bin/), it runs the bundle that `npm pack` built into dist/ (the
//   prepack script) and never writes into its own install folder.
// - In a source checkout, it runs the bundle in node_modules/.cache/pullpath/ (built by `npm run build`, the
//   test suite's global setup, or the first run), after a cheap check that the files this run loads are as they
//   were at the build (bin/bundle-state.js); when one changed, it builds again first (~0.4 s), so a
//   stale bundle never runs.
//   PULLPATH_FROM_SOURCE=1, or a checkout where the bundle cannot be built, runs the TypeScript through tsx.
// - `pullpath --help` (also -h, help) prints the help.txt saved beside the bundle, without loading it: the
//   process then costs about what `node -e 0` costs. Only a terminal narrower than 80 columns goes through the
//   CLI, which wraps the help to its width.
// PULLPATH_STARTUP_TRACE=1 writes what the launcher decided to stderr (`pullpath-startup: …` lines; for tests).
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const trace = process.env.PULLPATH_STARTUP_TRACE === '1' ? (line) => process.stderr.write(`pullpath-startup: ${line}\n`) : () => {};

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
function servedHelp(bundleDir) {
  if (args.length !== 1 || (args[0] !== '--help' && args[0] !== '-h' && args[0] !== 'help')) return false;
  if (isatty(1)) {
    const cols = process.stdout.columns;
    if (cols !== undefined && cols >= 40 && cols < 80) return false;
  }
  let text;
  try {
    text = readFileSync(new URL('help.txt', bundleDir));
  } catch {
    return false;
  }
  if (!writeHelp(text)) return false;
  trace('help served from help.txt');
  return true;
}

async function loadMain() {
  const checkout = existsSync(new URL('../cli/main.ts', import.meta.url));
  if (!checkout) {
    const dist = new URL('../dist/', import.meta.url);
    if (servedHelp(dist)) return null;
    try {
      return (await import(new URL('main.mjs', dist).href)).main;
    } catch (err) {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.mjs')) throw err;
      process.stderr.write('pullpath: this package has no CLI bundle (dist/main.mjs): it was packed without its prepack script.\nRepack it with `npm pack` (which runs `npm run prepack`), then install the new tarball.\n');
      process.exit(1);
    }
  }
  if (process.env.PULLPATH_FROM_SOURCE !== '1') {
    // Only the small check module at each run; the builder (and esbuild) when the bundle must be built.
    const { bundleState } = await import('./bundle-state.js');
    const state = bundleState(args);
    const dir = state.state === 'current' ? state.dir : await (await import('./build-cli.js')).checkoutBundle(args);
    if (dir !== null) {
      trace(state.state === 'current' ? 'bundle current' : state.state === 'stale' ? `bundle rebuilt (changed: ${state.changed})` : 'bundle built (none yet)');
      const url = pathToFileURL(`${dir}/`);
      if (servedHelp(url)) return null;
      return (await import(new URL('main.mjs', url).href)).main;
    }
  }
  trace('running the sources through tsx');
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/main.ts')).main;
}

const main = await loadMain();
if (main !== null) process.exitCode = await main(args);
