/**
 * A clone of this repository alone must pass its tests and run its benches: no file in it may reach for data
 * outside the repository (the conformance cases and benchmark inputs used to live in a sibling shared folder that a clone does not have).
 * Every `new URL('…', import.meta.url)` literal in the code is resolved against its file and must land inside.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function codeFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) codeFiles(full, out);
    else if (/\.(ts|tsx|js|mjs)$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Static path prefixes of URL literals relative to the module: `new URL('p', import.meta.url)` or `` `p${x}` ``. */
function urlLiterals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/new URL\(\s*(['"`])((?:(?!\1).)*?)\1\s*,\s*import\.meta\.url\s*\)/g)) {
    out.push(m[2]!.split('${')[0]!);
  }
  return out;
}

describe('the repository stands on its own', () => {
  const files = ['src', 'cli', 'bin', 'test', 'bench'].flatMap((d) => codeFiles(join(root, d)));

  it('finds the code it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(urlLiterals("new URL('../fixtures/x/', import.meta.url); new URL(`./d/${f}`, import.meta.url)")).toEqual(['../fixtures/x/', './d/']);
  });

  it('resolves every module-relative URL inside the repository', () => {
    const outside: string[] = [];
    for (const file of files) {
      for (const lit of urlLiterals(readFileSync(file, 'utf8'))) {
        const target = fileURLToPath(new URL(lit, pathToFileURL(file)));
        if (!(target + sep).startsWith(root)) outside.push(`${relative(root, file)}: ${lit}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('holds the vendored conformance cases and benchmark inputs, each with a README', () => {
    const conformance = readdirSync(join(root, 'test/fixtures/conformance')).sort();
    expect(conformance).toEqual(['README.md', 'resolve-cases.jsonl', 'resolve-expected.jsonl']);
    const bench = readdirSync(join(root, 'bench/data')).filter((f) => !f.endsWith('.ts')).sort();
    expect(bench).toEqual(['README.md', ...[10, 1000, 10000].map((n) => `refs-N${n}.txt.gz`), ...[10, 1000, 10000].map((n) => `registries-N${n}.conf`)].sort());
  });
});
