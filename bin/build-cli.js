// Builds the CLI bundle: cli/main.ts and everything it imports from src/ and cli/, bundled by esbuild with npm
// packages left as imports, one chunk per command (commands stay lazy).
// - `node bin/build-cli.js` (the prepack script) builds it into dist/, which the package ships and runs.
// - In a source checkout, bundledCli() builds it when needed into node_modules/.cache/pullpath/STAMP/, where
//   STAMP hashes every source file's path, size and mtime: an edited file gives a new STAMP and a rebuild
//   (~0.4 s). Concurrent first runs each build into a private folder and rename it into place; whoever loses
//   the race uses the winner's copy.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function sourceFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx|js|mjs|json)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The stamp of the current sources (and of the build recipe: this file and package.json). */
export function sourceStamp() {
  const files = [...sourceFiles(join(root, 'src'), []), ...sourceFiles(join(root, 'cli'), []), fileURLToPath(import.meta.url), join(root, 'package.json'), join(root, 'tsconfig.json')];
  const h = createHash('sha256');
  for (const f of files.sort()) {
    const st = statSync(f);
    h.update(`${relative(root, f)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/** Builds the bundle into `outdir` (which must not exist yet). */
export async function buildCli(outdir) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'cli/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'silent',
  });
}

/** The file URL of the bundle's entry, built first if needed; null when it cannot be built here. */
export async function bundledCli() {
  try {
    const cache = join(root, 'node_modules', '.cache', 'pullpath');
    const stamp = sourceStamp();
    const dir = join(cache, stamp);
    const entry = join(dir, 'main.mjs');
    if (!existsSync(entry)) {
      mkdirSync(cache, { recursive: true });
      const tmp = join(cache, `.${stamp}-${process.pid}`);
      await buildCli(tmp);
      try {
        renameSync(tmp, dir);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another process got there first
      }
      pruneOld(cache, stamp);
    }
    return existsSync(entry) ? pathToFileURL(entry).href : null;
  } catch {
    return null;
  }
}

/** Removes bundles of older sources, once they are a day old (a long run may still be loading chunks from one). */
function pruneOld(cache, keep) {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(cache)) {
    if (name === keep) continue;
    const full = join(cache, name);
    try {
      if (statSync(full).mtimeMs < dayAgo) rmSync(full, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

/** `node bin/build-cli.js [DIR]`: a fresh bundle in DIR (default dist/), for the package. */
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const outdir = resolve(root, process.argv[2] ?? 'dist');
  rmSync(outdir, { recursive: true, force: true });
  await buildCli(outdir);
  console.log(`pullpath: CLI bundle built in ${relative(process.cwd(), outdir) || '.'}`);
}
