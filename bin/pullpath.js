#!/usr/bin/env node
// Entry point.
// - In an installed package (no cli/ beside bin/), it runs the bundle that `npm pack` built into dist/ (the
//   prepack script) and never writes into its own install folder.
// - In a source checkout, it runs a bundle that esbuild builds on first use, and again whenever a file in src/
//   or cli/ changes (bin/build-cli.js), so `npm ci` is the only set-up step. The bundle starts in about a third
//   of the time of tsx's loader, with about 35 MB less memory. PULLPATH_FROM_SOURCE=1, or a checkout where the
//   bundle cannot be written, runs the TypeScript through tsx instead.
import { existsSync } from 'node:fs';

const checkout = existsSync(new URL('../cli/main.ts', import.meta.url));
let main;
if (!checkout) {
  try {
    ({ main } = await import('../dist/main.mjs'));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.mjs')) throw err;
    process.stderr.write('pullpath: this package has no CLI bundle (dist/main.mjs): it was packed without its prepack script.\nRepack it with `npm pack` (which runs `npm run prepack`), then install the new tarball.\n');
    process.exit(1);
  }
} else {
  const { bundledCli } = await import('./build-cli.js');
  const entry = process.env.PULLPATH_FROM_SOURCE === '1' ? null : await bundledCli();
  if (entry) {
    ({ main } = await import(entry));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../cli/main.ts'));
  }
}
process.exitCode = await main(process.argv.slice(2));
