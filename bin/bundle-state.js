// The launcher's check that the checkout's CLI bundle is current (bin/build-cli.mjs builds it and writes the
// record read here; see its header). Kept apart from build-cli.mjs so that each run in a checkout loads only this
// small module before the bundle (start-up: build-cli.mjs, with esbuild's options and the build's bookkeeping, cost
// a few ms more to load at every run). CommonJS, as all of bin/ but the builder (bin/package.json): the launcher
// runs without Node's ES module loader, which costs about 5 ms to start.
'use strict';
const { existsSync, readFileSync, statSync } = require('node:fs');
const { dirname } = require('node:path');

/** The checkout's root folder, with a trailing slash. */
const ROOT = `${dirname(__dirname)}/`;
const CACHE_DIR = `${ROOT}node_modules/.cache/pullpath`;
const POINTER = `${CACHE_DIR}/current.json`;

/** [relative path, size (-1 for a folder), mtimeMs] of a file or folder under the root, or null when it is gone. */
function fingerprint(rel) {
  // Plain concatenation, not path.join: the paths are the build's own, relative and normalised, and this runs
  // about 100-200 times per run.
  const st = statSync(ROOT + rel, { throwIfNoEntry: false });
  if (st === undefined) return null;
  return [rel, st.isDirectory() ? -1 : st.size, st.mtimeMs];
}

/** The command whose files a run of `pullpath ARGS…` loads (`help CMD` and `CMD --help` load CMD too). */
function commandOf(args) {
  return args[0] === 'help' ? args[1] : args[0];
}

/**
 * The checkout's bundle, for a run of `pullpath ARGS…`: { state: 'current', dir } when the files that run
 * loads are as they were at the build (with no ARGS: every file of the bundle), { state: 'stale', dir, changed } when one of them (or a folder above
 * one) differs, { state: 'missing' } when none was built. Only the run's own groups are checked: `--help`
 * stats about 20 files and folders, `resolve` about 100, `pull` about 200 (a stat costs 15-40 µs on this
 * project's VM, so checking all of them at every run cost about 10 ms).
 */
function bundleState(args) {
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(POINTER, 'utf8'));
    if (!Array.isArray(pointer.files) || typeof pointer.groups?.main?.length !== 'number') throw new Error('older format');
  } catch {
    return { state: 'missing' };
  }
  const dir = `${CACHE_DIR}/${pointer.dir}`;
  let check = pointer.files.map((_, i) => i);
  if (args !== undefined) {
    const command = commandOf(args);
    check = [...pointer.groups.main];
    if (command !== undefined && command !== 'main' && Object.hasOwn(pointer.groups, command)) check.push(...pointer.groups[command]);
  }
  for (const i of check) {
    const [rel, size, mtimeMs] = pointer.files[i];
    const now = fingerprint(rel);
    if (now === null || now[1] !== size || now[2] !== mtimeMs) return { state: 'stale', dir, changed: rel };
  }
  if (!existsSync(`${dir}/_main.cjs`)) return { state: 'missing' };
  return { state: 'current', dir };
}

module.exports = { bundleState, CACHE_DIR, fingerprint, POINTER };
