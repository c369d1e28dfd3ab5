import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
const out = process.argv[2];
const bundleUndici = process.argv[3] === 'undici';
const deps = Object.keys(JSON.parse(readFileSync('package.json','utf8')).dependencies).filter(n => n !== 'smol-toml' && n !== 'p-limit' && !(bundleUndici && n === 'undici'));
const plugin = {
  name: 'pp',
  setup(b) {
    b.onResolve({ filter: /tui\/render\.tsx$/ }, () => ({ path: './tui.mjs', external: true }));
    b.onLoad({ filter: /(undici-core|registries-d)\.ts$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/^const require = createRequire\(import\.meta\.url\);$/m, ''), loader: 'ts' }));
  },
};
const r = await esbuild.build({ entryPoints: ['cli/main.ts'], outfile: out + '/main.cjs', bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: deps.flatMap(n => [n, n + '/*']), tsconfig: 'tsconfig.json', plugins: [plugin], define: { 'import.meta.url': '__pp_url' }, banner: { js: 'var __pp_url = require("node:url").pathToFileURL(__filename).href;' }, logLevel: 'warning', metafile: true });
await esbuild.build({ entryPoints: ['cli/tui/render.tsx'], outfile: out + '/tui.mjs', bundle: true, format: 'esm', platform: 'node', target: 'node20', external: deps.flatMap(n => [n, n + '/*']), tsconfig: 'tsconfig.json', logLevel: 'warning' });
