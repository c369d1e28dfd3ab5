// Loaded with `node --import` before bin/pullpath.js: records every module the process loads into the file named
// by PULLPATH_MODULE_PROBE, one per line. ES modules through a resolve hook (it runs on the loader's own thread,
// hence the synchronous append), CommonJS modules from require's cache at exit (a package required from another
// CommonJS module never reaches the ES loader), and Node's public built-ins from process.moduleLoadList at exit
// (`node:NAME`: a built-in required from CommonJS reaches neither). Code inside a bundle that bin/run-bundle.js
// compiled is none of these: what a bundle holds is read from the bundle itself.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.PULLPATH_MODULE_PROBE;
if (out) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      appendFileSync(${JSON.stringify(out)}, r.url + '\\n');
      return r;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/')).map((m) => `node:${m.slice('NativeModule '.length)}\n`);
    appendFileSync(out, Object.keys(cache).map((f) => `file://${f}\n`).join('') + builtins.join(''));
  });
}
