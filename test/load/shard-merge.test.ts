/**
 * Sharded load merges exactly: N shard runs (`--shard I/N`), each recorded under its own virtual clock,
 * written as shard reports (JSON text), read back and merged, give byte for byte the report of one run
 * that recorded every sample — counts, winners, failover, every percentile of every histogram, the text
 * report. The pulls' durations depend on the image and the time, so shards see different distributions
 * (an average of their percentiles would be wrong).
 */
import { describe, expect, it } from 'vitest';
import { runLoadRecorded, type PullOneFn, type RecordedLoad } from '../../src/load/run-load.ts';
import type { LoadMode } from '../../src/load/scheduler.ts';
import { shardMaxRequests, shardConcurrency, type ShardSpec } from '../../src/load/shard.ts';
import { parseShardReports } from '../../src/load/shard-report.ts';
import { mergeShardReports } from '../../src/load/merge-shards.ts';
import { loadRecordJson } from '../../src/report/load-json.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import type { AttemptEvent, ErrorClass, ResultEvent } from '../../src/events/pull-events.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import { VirtualClock } from './virtual-clock.ts';

const IMAGES = ['quay.io/acme/app:1', 'quay.io/acme/db:2', 'quay.io/acme/big:3'].map((ref) => ({ ref }) as Resolution);
const MIRROR = 'mirror.example.com/acme';
const SOURCE = 'quay.io/acme';

function attempt(index: number, location: string, ok: boolean, durationMs: number, errorClass: ErrorClass | null = null): AttemptEvent {
  return {
    type: 'attempt', image: 'x', index, at: 0, reference: `${location}/x`, location, mirror: index === 0, insecure: false,
    outcome: ok ? 'ok' : 'failed', error: ok ? null : String(errorClass), errorClass: ok ? null : errorClass, httpStatus: null, durationMs,
    steps: [{ step: 'ping', ok: true, durationMs: durationMs / 3 }, { step: 'manifest', ok, durationMs: (2 * durationMs) / 3 }],
  };
}

/**
 * A pull whose outcome and duration are functions of the image and the virtual time it starts at: the mirror
 * refuses from 1 s to 2 s (failover to the source), image 2 is missing everywhere from 2.5 s, and each image
 * has its own latency scale (app ~2 ms, db ~40 ms, big ~700 ms), varying with time.
 */
function fakePull(clock: VirtualClock): PullOneFn {
  return async (r, _o, emit) => {
    const t = clock.now();
    const img = IMAGES.findIndex((i) => i.ref === r.ref);
    const base = [2, 40, 700][img]! * (1 + ((Math.floor(t) * 7 + img * 13) % 17) / 10);
    const attempts: AttemptEvent[] = [];
    if (img === 2 && t >= 2500) attempts.push(attempt(0, MIRROR, false, base / 4, 'not-found'), attempt(1, SOURCE, false, base / 2, 'not-found'));
    else if (t >= 1000 && t < 2000) attempts.push(attempt(0, MIRROR, false, 0.3 + img / 10, 'refused'), attempt(1, SOURCE, true, base));
    else attempts.push(attempt(0, MIRROR, true, base));
    await clock.sleep(attempts.reduce((a, b) => a + b.durationMs, 0));
    for (const a of attempts) emit(a);
    const last = attempts.at(-1)!;
    const ok = last.outcome === 'ok';
    const result: ResultEvent = {
      type: 'result', image: r.ref, at: 0, ok, source: ok ? last.reference : null, sourceIndex: ok ? last.index : null,
      digest: ok ? `sha256:${img}` : null, mediaType: null, error: ok ? null : 'not found', errorClass: ok ? null : 'not-found', durationMs: 0,
    };
    return result;
  };
}

async function run(mode: LoadMode, bounds: { durationMs: number | null; maxRequests: number | null }, shard?: ShardSpec): Promise<RecordedLoad> {
  const clock = new VirtualClock();
  return runLoadRecorded({
    target: { resolutions: IMAGES, expectedDigests: ['sha256:0', 'sha256:1', 'sha256:2'] },
    pull: {} as never,
    mode,
    ...bounds,
    faults: [{ registry: 'mirror.example.com', kind: 'refuse', fromMs: 1000, toMs: 2000 }],
    clock,
    pullOne: fakePull(clock),
    ...(shard ? { shard } : {}),
  });
}

/** Each shard's run, written as the CLI writes it and read back as `load merge` reads it. */
async function shardReports(n: number, rate: number, bounds: { durationMs: number | null; maxRequests: number | null }) {
  const texts: string[] = [];
  for (let index = 0; index < n; index++) {
    const shard = { index, count: n };
    const r = await run(
      { kind: 'open', ratePerSec: rate, slots: { first: index, every: n } },
      { durationMs: bounds.durationMs, maxRequests: bounds.maxRequests === null ? null : shardMaxRequests(bounds.maxRequests, shard) },
      shard,
    );
    texts.push(loadRecordJson(r.summary, { shard: { ...shard, runId: 'run-1', images: [] }, recorder: r.state() }));
  }
  return texts.flatMap((t, i) => parseShardReports(`shard-${i}.json`, t));
}

describe('load --shard I/N, merged', () => {
  it.each([
    [4, { durationMs: 3000, maxRequests: null }],
    [3, { durationMs: null, maxRequests: 301 }],
    [1, { durationMs: 1500, maxRequests: null }],
  ])('%i shards: the merged report is exactly the single run\'s (JSON and text)', async (n, bounds) => {
    const rate = 100;
    const single = await run({ kind: 'open', ratePerSec: rate }, bounds);
    const merged = mergeShardReports(await shardReports(n, rate, bounds));
    expect(merged.summary).toStrictEqual(single.summary);
    expect(loadRecordJson(merged.summary)).toBe(loadRecordJson(single.summary));
    expect(formatLoadReport(merged.summary)).toBe(formatLoadReport(single.summary));
    // Guard against a vacuous pass: the run has failovers, failures and three latency scales.
    expect(single.summary.requests).toBe(bounds.maxRequests ?? 300 * (bounds.durationMs! / 3000));
    if (n > 1) {
      expect(Object.keys(single.summary.failover)).toEqual(['refuse']);
      expect(single.summary.failures['not-found']).toBeGreaterThan(0);
    }
    expect(merged.shards).toEqual({ count: n, runId: 'run-1', merged: Array.from({ length: n }, (_, i) => i), missing: [] });
  });

  it('percentiles come from the merged histograms, not an average of the shards\' percentiles', async () => {
    const bounds = { durationMs: 3000, maxRequests: null };
    const reports = await shardReports(3, 90, bounds);
    const merged = mergeShardReports(reports);
    // With 3 shards and 3 images, each shard pulls one image: their p50s are ~2 ms, ~40 ms and ~700 ms.
    const p50s = reports.map((r) => JSON.parse(loadRecordJson(mergeShardReports([r], { allowPartial: true }).summary)).latency.p50Ms as number);
    const mean = p50s.reduce((a, b) => a + b, 0) / p50s.length;
    expect(merged.summary.latency.p50Ms).not.toBeCloseTo(mean, 0);
    const single = await run({ kind: 'open', ratePerSec: 90 }, bounds);
    expect(merged.summary.latency).toStrictEqual(single.summary.latency);
  });

  it('closed loop: the shards\' workers add up to --concurrency and their pulls to --max-requests', async () => {
    const n = 3;
    const totals = { requests: 0, workers: 0 };
    for (let index = 0; index < n; index++) {
      const shard = { index, count: n };
      const workers = shardConcurrency(7, shard);
      totals.workers += workers;
      const r = await run({ kind: 'closed', concurrency: workers }, { durationMs: null, maxRequests: shardMaxRequests(100, shard) }, shard);
      totals.requests += r.summary.requests;
    }
    expect(totals).toEqual({ requests: 100, workers: 7 });
  });
});
