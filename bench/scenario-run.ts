/**
 * bench/scenario-run: where a scenario run's time goes. For each shipped scenario, the median wall time of
 * a whole run (`runScenario`) beside the median of its set-up alone (CA generation, mock registries
 * started on loopback, certs.d and auth.json written, then everything stopped), measured in the same run.
 * Prints figures; asserts nothing. Loopback only.
 *
 *   node --import tsx bench/scenario-run.ts [RUNS]      (default 5 runs per scenario)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.ts';
import { prepareScenario } from '../src/scenario/prepare.ts';
import { runScenario } from '../src/scenario/run.ts';
import { startEnvironment } from '../src/scenario/environment.ts';

const runs = Number(process.argv[2] ?? 5);
const dir = join(import.meta.dirname, '../scenarios');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`scenario run time, median of ${runs} runs (ms)`);
console.log(`${'scenario'.padEnd(38)} ${'pulls'.padStart(5)} ${'set-up+stop'.padStart(12)} ${'whole run'.padStart(10)} ${'pulls share'.padStart(12)}`);
let totalRun = 0;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.toml')).sort()) {
  const prepared = prepareScenario(await loadScenario(join(dir, f)));
  const setup: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const env = await startEnvironment(prepared.scenario);
    await env.close();
    setup.push(performance.now() - t);
    t = performance.now();
    const report = await runScenario(prepared);
    whole.push(performance.now() - t);
    if (report.error) throw new Error(`${f}: ${report.error}`);
  }
  const s = median(setup);
  const w = median(whole);
  totalRun += w;
  const pulls = prepared.scenario.pulls.reduce((n, p) => n + p.repeat, 0);
  console.log(`${f.padEnd(38)} ${String(pulls).padStart(5)} ${s.toFixed(0).padStart(12)} ${w.toFixed(0).padStart(10)} ${`${(((w - s) / w) * 100).toFixed(0)}%`.padStart(12)}`);
}
console.log(`all shipped scenarios, one after another: ${(totalRun / 1000).toFixed(2)} s (sum of medians)`);
