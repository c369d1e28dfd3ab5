// Loaded with `node -r` before bin/pullpath.js: at exit, writes the public Node built-ins the process loaded after
// this point into the file named by PULLPATH_BUILTIN_PROBE, one `node:NAME` per line (process.moduleLoadList: a
// built-in required from CommonJS, or from inside a bundle, reaches no loader hook). CommonJS and hook-free, so
// that the probe itself loads nothing (test/helpers/module-probe.mjs, an ES module with loader hooks, loads
// streams, net and worker_threads for itself and cannot tell whether a run needed them).
'use strict';
const out = process.env.PULLPATH_BUILTIN_PROBE;
if (out) {
  const { appendFileSync } = require('node:fs');
  const before = new Set(process.moduleLoadList);
  process.on('exit', () => {
    const added = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'));
    appendFileSync(out, added.map((m) => `node:${m.slice('NativeModule '.length)}\n`).join(''));
  });
}
