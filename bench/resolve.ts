/**
 * Resolution throughput and peak memory on the benchmark inputs in bench/data/, beside containers/image's own
 * resolution measured in the same run (bench/go-resolve, built against Debian's golang-github-containers-image-dev;
 * when Go or that package is missing the bench says so and prints no ratio).
 *
 * Per reference, as the anchor loop does: parse (ParseNormalizedNamed) → find the entry for ref.name() → pull sources
 * (every rewritten source re-parsed canonically). We also decide `blocked` per source (one more lookup per
 * source), which the anchor loop does not. Printed beside:
 *  - the runtime: containers/image's FindRegistry + PullSourcesFromReference (parse included), Go, this run,
 *    right after our rounds for the same N (at N=10,000 on the first 20,000 refs, as the scan);
 *  - a baseline measured in this run: the same TypeScript code with the runtime's linear scan instead of the index;
 *  - the full Resolution (`resolveReference`: explanations, notes), what `pullpath resolve` builds per ARG.
 *
 * Run: npx tsx bench/resolve.ts [--rounds 5] [--sizes 10,1000,10000]
 * Figures are wall-clock res/s: the median of the rounds and the best round. The machine is shared, so also
 * compare the in-run baseline (scan) rather than absolute numbers across runs.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import type { RegistriesConfig, RegistryEntry } from '../src/config/types.ts';
import { tryParseNormalizedNamed } from '../src/reference/index.ts';
import { compileConfig, findRegistry, findRegistryByScan, pullSources, resolveReference, sourcesForReference } from '../src/resolve/index.ts';
import type { CompiledConfig } from '../src/resolve/index.ts';
import { goResolveAnchor } from './go-resolve-anchor.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, sizes: { type: 'string', default: '10,1000,10000' } },
});
const rounds = Math.max(1, Number(values.rounds));
const sizes = values.sizes!.split(',').map(Number);
const dataDir = new URL('./data/', import.meta.url);

type Lookup = (c: CompiledConfig, name: string) => RegistryEntry | null;
const byIndex: Lookup = (c, name) => findRegistry(c, name);

interface Pass {
  seconds: number;
  hits: number;
  sources: number;
}

/** One pass of the anchor's loop over every ref. */
function corePass(compiled: CompiledConfig, refs: string[], lookup: Lookup): Pass {
  let hits = 0;
  let sources = 0;
  const t0 = process.hrtime.bigint();
  if (lookup === byIndex) {
    for (const s of refs) {
      const p = tryParseNormalizedNamed(s);
      if (!p.ok) continue;
      const { entry, result } = sourcesForReference(compiled, p.ref);
      if (entry === null) continue;
      hits++;
      sources += result.sources.length;
    }
  } else {
    for (const s of refs) {
      const p = tryParseNormalizedNamed(s);
      if (!p.ok) continue;
      const entry = lookup(compiled, p.ref.name());
      if (entry === null) continue;
      hits++;
      sources += pullSources(compiled, entry, p.ref).sources.length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, hits, sources };
}

function fullPass(compiled: CompiledConfig, refs: string[]): Pass {
  let hits = 0;
  let sources = 0;
  const t0 = process.hrtime.bigint();
  for (const s of refs) {
    const p = tryParseNormalizedNamed(s);
    if (!p.ok) continue;
    const r = resolveReference(compiled, p.ref, s);
    if (r.registry !== null) hits++;
    sources += r.sources.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, hits, sources };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

console.log(`pullpath bench/resolve — Node ${process.version}, ${rounds} timed round(s) after one warm-up; res/s = median (best also shown); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const go = goResolveAnchor();
console.log(go.ok ? `runtime anchor: ${go.library}, ${go.version}, measured in this run` : `runtime anchor: none in this run: ${go.why}. No ratio is printed.`);
console.log('');
const header = ['N', 'load ms', 'index ms', 'ours res/s', 'ours best', 'full res/s', 'scan res/s', 'runtime res/s', 'ours/runtime', 'hits ours (runtime)', 'heap MB'];
const rows: string[][] = [];
const oursBySize = new Map<number, number>();

for (const n of sizes) {
  const confPath = new URL(`registries-N${n}.conf`, dataDir);
  const text = readFileSync(confPath, 'utf8');
  const refs = gunzipSync(readFileSync(new URL(`refs-N${n}.txt.gz`, dataDir))).toString('utf8').split('\n').filter((l) => l !== '');

  let t = process.hrtime.bigint();
  const conf: RegistriesConfig = loadRegistriesConfFromTexts({
    main: { path: confPath.pathname, text },
    mainPath: confPath.pathname,
    dropins: [],
  });
  const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const compiled = compileConfig(conf);
  const indexMs = Number(process.hrtime.bigint() - t) / 1e6;

  // Warm-up (JIT), then timed rounds. The scan baseline is slow at N=10,000, so it runs on a slice there.
  const scanRefs = n >= 10000 ? refs.slice(0, 20_000) : refs;
  corePass(compiled, refs, byIndex);
  fullPass(compiled, refs);
  corePass(compiled, scanRefs.slice(0, 5_000), (c, name) => findRegistryByScan(c.conf, name));
  const core: number[] = [];
  const full: number[] = [];
  const scan: number[] = [];
  let last: Pass | null = null;
  let lastScan: Pass | null = null;
  for (let i = 0; i < rounds; i++) {
    last = corePass(compiled, refs, byIndex);
    core.push(refs.length / last.seconds);
    const f = fullPass(compiled, refs);
    full.push(refs.length / f.seconds);
    lastScan = corePass(compiled, scanRefs, (c, name) => findRegistryByScan(c.conf, name));
    scan.push(scanRefs.length / lastScan.seconds);
  }
  const ours = median(core);
  oursBySize.set(n, ours);
  const heap = process.memoryUsage().heapUsed;
  // The runtime on the same file and refs, right after our rounds (its own process: one warm-up pass, then the rounds).
  const goRefs = n >= 10000 ? scanRefs.length : refs.length;
  const goRun = go.ok ? go.run(confPath.pathname, new URL(`refs-N${n}.txt.gz`, dataDir).pathname, rounds, goRefs) : null;
  const anchor = goRun?.median;
  const ourHits = goRefs === refs.length ? last!.hits : corePass(compiled, refs.slice(0, goRefs), byIndex).hits;
  rows.push([
    fmt(n),
    loadMs.toFixed(1),
    indexMs.toFixed(1),
    fmt(ours),
    fmt(Math.max(...core)),
    fmt(median(full)),
    fmt(median(scan)),
    anchor === undefined ? '-' : fmt(anchor),
    anchor === undefined ? '-' : `${(ours / anchor).toFixed(1)}×`,
    `${fmt(ourHits)} (${goRun ? fmt(goRun.hits) : '-'})${goRun && goRun.hits !== ourHits ? ' DIFFER' : ''}`,
    mb(heap),
  ]);
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log('');
const small = oursBySize.get(10);
const large = oursBySize.get(10000);
if (small !== undefined && large !== undefined) {
  console.log(`N=10,000 vs N=10: ${(small / large).toFixed(2)}× slower (target ≤ 2×); targets: ≥ 200,000 res/s at N=10,000, faster than the runtime at N=10`);
}
const ru = process.resourceUsage();
const mem = process.memoryUsage();
console.log(`peak RSS (resourceUsage.maxRSS): ${(ru.maxRSS / 1024).toFixed(1)} MB; now: rss ${mb(mem.rss)} MB, heapUsed ${mb(mem.heapUsed)} MB`);
console.log('ours = parse + findRegistry (index) + pull sources + blocked per source; full = the whole Resolution with explanations;');
console.log('scan = the same code with the runtime\'s linear scan (at N=10,000 on the first 20,000 refs);');
console.log(go.ok ? `runtime = ${go.library} (Go), same refs and file, this run (at N=10,000 on the first 20,000 refs; hits counted on the refs it ran).` : 'runtime = not measured (see above).');
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
