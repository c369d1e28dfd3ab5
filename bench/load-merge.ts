/**
 * `pullpath load merge` at fleet scale: 16 shard reports of 100,000 pulls each (as 16 pods of an Indexed Job
 * write them) merged into the run's report. Issue target: under 1 s. The shards' samples are synthetic but
 * shaped like a failover run (a mirror that is refused for a while, an image missing everywhere, three
 * latency scales, four steps per attempt), recorded through the real LoadRecorder and written with the real
 * JSON writer, so the reports carry as many histograms, as wide, as a real run.
 *
 * Timed: what `load merge -o json` does after reading the files — parse and check the 16 reports, decode and
 * add every histogram, summarise, write the JSON. Anchor in the same run: JSON.parse of the same bytes alone.
 *
 * Run: npx tsx bench/load-merge.ts [--shards 16] [--pulls 100000] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { LoadRecorder } from '../src/load/load-recorder.ts';
import { parseShardReports } from '../src/load/shard-report.ts';
import { mergeShardReports } from '../src/load/merge-shards.ts';
import { loadRecordJson } from '../src/report/load-json.ts';
import type { AttemptEvent, ErrorClass, ResultEvent } from '../src/events/pull-events.ts';
import { createRandom } from '../src/mock/prng.ts';

const { values } = parseArgs({ options: { shards: { type: 'string', default: '16' }, pulls: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } });
const SHARDS = Number(values.shards);
const PULLS = Number(values.pulls);
const ROUNDS = Number(values.rounds);
const TARGET_MS = 1000;

/** A seeded generator (the mock's mulberry32), so every run merges the same reports. */
const rng = createRandom;

const MIRRORS = ['mirror-a.corp.example.com/quay', 'mirror-b.corp.example.com/quay'];
const SOURCE = 'quay.io/acme';

function attempt(index: number, location: string, ok: boolean, ms: number, errorClass: ErrorClass | null): AttemptEvent {
  const steps: AttemptEvent['steps'] = [
    { step: 'ping', ok: true, durationMs: ms * 0.2 },
    { step: 'auth', ok: true, durationMs: ms * 0.2 },
    { step: 'manifest', ok, durationMs: ms * 0.5 },
    ...(ok ? [{ step: 'blobs' as const, ok: true, durationMs: ms * 0.1 }] : []),
  ];
  return { type: 'attempt', image: 'x', index, at: 0, reference: `${location}/x`, location, mirror: index < 2, insecure: false, outcome: ok ? 'ok' : 'failed', error: errorClass, errorClass, httpStatus: null, durationMs: ms, steps };
}

function shardReport(shard: number): string {
  const rand = rng(shard + 1);
  // Each pod its own latency scale (a node far from the mirror is slower): the shards' distributions differ.
  const scale = 1 + shard / 4;
  const rec = new LoadRecorder({ mode: 'open', faults: [{ registry: 'mirror-a.corp.example.com', kind: 'refuse', fromMs: 60_000, toMs: 120_000 }] });
  const interval = (1000 * SHARDS) / 1000; // the run's 1,000 pulls/s, this shard's share
  for (let k = 0; k < PULLS; k++) {
    const t = k * interval;
    const lat = () => scale * Math.exp(rand() * 6) * 0.5; // 0.5 ms to ~200 ms, log-spread
    const attempts: AttemptEvent[] = [];
    let result: ResultEvent;
    const missing = rand() < 0.01;
    if (missing) {
      attempts.push(attempt(0, MIRRORS[0]!, false, lat(), 'not-found'), attempt(1, MIRRORS[1]!, false, lat(), 'not-found'), attempt(2, SOURCE, false, lat(), 'not-found'));
    } else if (t >= 60_000 && t < 120_000) {
      attempts.push(attempt(0, MIRRORS[0]!, false, 0.2 + rand(), 'refused'), attempt(1, MIRRORS[1]!, true, lat(), null));
    } else attempts.push(attempt(0, MIRRORS[0]!, true, lat(), null));
    const last = attempts.at(-1)!;
    const ok = last.outcome === 'ok';
    result = { type: 'result', image: 'x', at: 0, ok, source: ok ? last.reference : null, sourceIndex: ok ? last.index : null, digest: 'sha256:a', mediaType: null, error: ok ? null : 'x', errorClass: ok ? null : 'not-found', durationMs: 0 };
    const total = attempts.reduce((a, b) => a + b.durationMs, 0);
    rec.started();
    rec.finished({ intendedMs: t, startMs: t + rand() * 0.5, endMs: t + total, attempts, result, expectedDigest: 'sha256:a' });
  }
  const end = PULLS * interval + 1000;
  return loadRecordJson(rec.summary(end), { shard: { index: shard, count: SHARDS, runId: 'bench', images: [0] }, recorder: rec.toState(end) });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`load merge: ${SHARDS} shard reports × ${PULLS.toLocaleString('en')} pulls (recording them first, untimed)…`);
const t0 = performance.now();
const texts = Array.from({ length: SHARDS }, (_, i) => shardReport(i));
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
console.log(`  recorded in ${((performance.now() - t0) / 1000).toFixed(1)} s; reports ${(bytes / 1024).toFixed(0)} KiB in all (${(bytes / SHARDS / 1024).toFixed(1)} KiB each)`);

const anchor: number[] = [];
const merge: number[] = [];
let out = '';
for (let r = 0; r < ROUNDS; r++) {
  let s = performance.now();
  for (const t of texts) JSON.parse(t);
  anchor.push(performance.now() - s);
  s = performance.now();
  const reports = texts.flatMap((t, i) => parseShardReports(`shard-${i}.json`, t));
  const merged = mergeShardReports(reports);
  out = loadRecordJson(merged.summary, { shards: merged.shards });
  merge.push(performance.now() - s);
}
const summary = JSON.parse(out) as { requests: number; latency: { p50Ms: number; p99Ms: number; maxMs: number } };
if (summary.requests !== SHARDS * PULLS) throw new Error(`merged ${summary.requests} pulls, expected ${SHARDS * PULLS}`);
const m = median(merge);
console.log(`  merge (parse + check + decode/add histograms + summary + JSON): median ${m.toFixed(1)} ms, best ${Math.min(...merge).toFixed(1)} ms over ${ROUNDS} rounds`);
console.log(`  anchor, same run: JSON.parse of the same ${(bytes / 1024).toFixed(0)} KiB: median ${median(anchor).toFixed(1)} ms`);
console.log(`  merged: ${summary.requests.toLocaleString('en')} pulls, p50 ${summary.latency.p50Ms} ms, p99 ${summary.latency.p99Ms} ms, max ${summary.latency.maxMs} ms`);
console.log(`  target: < ${TARGET_MS} ms: ${m < TARGET_MS ? 'met' : 'NOT met'}`);
