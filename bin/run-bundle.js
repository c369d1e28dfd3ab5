// Runs one of the CLI's bundles (bin/build-cli.mjs builds them: one per command, plus `_main` for the runs that
// name no command) from V8's code cache, so that a run does not parse and compile the code it ran last time.
//
// Why: a short command spends most of its own time loading code. A bundle compiled from its source costs the
// parse of the whole file plus the lazy compile of every function the run calls; from a code cache, V8
// deserialises the compiled functions instead (Node 22 has module.enableCompileCache for this; Node 20 only has
// vm.Script's cachedData). The cache is written once, after the first run of that bundle has finished (so it
// holds the functions the run compiled, not only the top level), and again only when V8 rejects it (another Node
// version, other V8 flags).
//
// A bundle file is one function expression, `(function (exports, require, module, __filename, __dirname,
// __pp_import, __pp_url) { … })`: CommonJS, but compiled here instead of by require(), which takes no cache.
// `__pp_import` is this module's own import(), for the one ES module a bundle loads (the Ink TUI, tui.mjs): an
// import() inside a vm.Script would need an experimental flag. `__pp_url` stands for `import.meta.url`.
//
// The cache is only ever used for the exact file it was made from: V8 itself checks only the source's length, so
// the cache lives in the build's own folder (a checkout) or under a content hash of the bundles (a package).
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

/** The bundle for `pullpath ARGS…` in `dir`: the command's own (`help CMD` too), else `_main`; with its source. */
function pickBundle(dir, args) {
  const name = args[0] === 'help' ? args[1] : args[0];
  if (name !== undefined && /^[a-z][a-z-]*$/.test(name)) {
    try {
      return { name, file: `${dir}/${name}.cjs`, source: readFileSync(`${dir}/${name}.cjs`, 'latin1') };
    } catch (err) {
      if (err?.code !== 'ENOENT') throw err;
    }
  }
  // Only ASCII in a bundle (the build checks), so latin1 reads it as is, without UTF-8 decoding.
  return { name: '_main', file: `${dir}/_main.cjs`, source: readFileSync(`${dir}/_main.cjs`, 'latin1') };
}

/**
 * Compiles and runs a bundle; returns its exports and what saveCodeCache needs. `cacheFile` null: no code cache
 * (PULLPATH_CODE_CACHE=0, or nowhere to keep one).
 */
function loadBundle(bundle, cacheFile) {
  let cachedData;
  if (cacheFile !== null) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // none yet
    }
  }
  const script = new Script(bundle.source, { filename: bundle.file, cachedData });
  const url = pathToFileURL(bundle.file).href;
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle.file), module, bundle.file, dirname(bundle.file), (spec) => import(new URL(spec, url).href), url);
  const state = cacheFile === null ? 'off' : cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
  return { exports: module.exports, script, bundle, cacheFile, state };
}

/**
 * After the run: writes the bundle's code cache when there was none or V8 rejected it. Never fails the run.
 * The new cache is checked first: a run that changed V8's flags after the compile (v8.setFlagsFromString) makes
 * a cache that V8 would reject at every later run, so such a cache is not kept.
 */
function saveCodeCache(loaded) {
  if (loaded.state !== 'none' && loaded.state !== 'rejected') return 'kept';
  try {
    const data = loaded.script.createCachedData();
    // Another file name: V8's in-process compilation cache would otherwise answer without looking at `data`.
    const check = new Script(loaded.bundle.source, { filename: `${loaded.bundle.file}#check`, cachedData: data });
    if (check.cachedDataRejected === true) return 'unusable';
    const made = mkdirSync(dirname(loaded.cacheFile), { recursive: true });
    if (made !== undefined && loaded.onNewCacheDir !== undefined) loaded.onNewCacheDir();
    const tmp = `${loaded.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, loaded.cacheFile); // atomic: a concurrent run reads the old file or the new, never half of one
    return 'written';
  } catch {
    return 'failed';
  }
}

/**
 * Where an installed package keeps its code caches: under the user's cache folder, never in the install folder,
 * keyed by the content hash of the bundles (dist/bundle-id). Older packages' folders are removed when a new one
 * is made. null when there is no home to keep it in.
 */
function userCacheDir(distDir) {
  const home = process.env.XDG_CACHE_HOME || (process.env.HOME ? `${process.env.HOME}/.cache` : '');
  if (home === '') return null;
  let id;
  try {
    id = readFileSync(`${distDir}/bundle-id`, 'latin1').trim();
  } catch {
    return null;
  }
  if (!/^[0-9a-f]{16,64}$/.test(id)) return null;
  return `${home}/pullpath/code-cache/${id}`;
}

/** Removes the code-cache folders of other packages' bundles beside `dir` (best effort). */
function pruneUserCaches(dir) {
  const parent = dirname(dir);
  try {
    for (const name of readdirSync(parent)) {
      if (`${parent}/${name}` !== dir) rmSync(`${parent}/${name}`, { recursive: true, force: true });
    }
  } catch {
    // best effort
  }
}

module.exports = { loadBundle, pickBundle, pruneUserCaches, saveCodeCache, userCacheDir };
