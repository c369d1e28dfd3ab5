/**
 * Loading the bench configs (10, 1,000 and 10,000 [[registry]] entries) through the pure loader: ms per load
 * (median of repeated runs, after warm-up) and the lint pass on the same text. Prints figures; asserts nothing.
 * Run: npx tsx bench/config-load.ts
 */
import { readFileSync } from 'node:fs';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { lintRegistriesConf } from '../src/config/lint/index.ts';
import { parse } from 'smol-toml';

const dir = new URL('./data/', import.meta.url); // the anchor inputs, see bench/data/README.md

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, runs: number): number {
  for (let i = 0; i < 2; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

for (const n of [10, 1000, 10000]) {
  const path = new URL(`registries-N${n}.conf`, dir).pathname;
  const text = readFileSync(path, 'utf8');
  const input = { main: { path, text }, mainPath: path, dropins: [] };
  const runs = n === 10000 ? 10 : 30;
  const baseline = time(() => parse(text), runs);
  const load = time(() => loadRegistriesConfFromTexts(input), runs);
  const lint = time(() => lintRegistriesConf(input), runs);
  const entries = loadRegistriesConfFromTexts(input).registries.length;
  console.log(
    `N=${String(n).padStart(5)} (${(text.length / 1e6).toFixed(2)} MB, ${entries} entries): ` +
      `smol-toml parse alone ${baseline.toFixed(1)} ms (baseline), full load ${load.toFixed(1)} ms, lint ${lint.toFixed(1)} ms`,
  );
}
console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
