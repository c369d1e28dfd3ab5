/**
 * `load merge`: shard reports → the report of the whole run, as one process would have written it. Refuses
 * shards of different runs, a shard given twice, and (unless allowed) missing shards: a merge that silently
 * covered part of the load would understate every count.
 */
import { LoadRecorder } from './load-recorder.ts';
import type { LoadSummary } from './load-summary.ts';
import { ShardReportError, type ShardReport } from './shard-report.ts';

export interface MergedShards {
  /** N, the shard count of the run. */
  count: number;
  runId: string;
  /** The shard indexes merged, ascending. */
  merged: number[];
  /** The shard indexes missing (only with allowPartial). */
  missing: number[];
}

export interface MergeResult {
  summary: LoadSummary;
  shards: MergedShards;
  /** For stderr: what the merge left out. */
  warnings: string[];
}

export function mergeShardReports(reports: readonly ShardReport[], opts: { allowPartial?: boolean } = {}): MergeResult {
  if (reports.length === 0) throw new ShardReportError('no shard report to merge');
  const first = reports[0]!;
  for (const r of reports.slice(1)) {
    if (r.shard.runId !== first.shard.runId) {
      throw new ShardReportError(
        `${first.source} and ${r.source} are shards of different runs (run ${first.shard.runId} and ${r.shard.runId}: ` +
          'the scenario, references, mode, whole rate or concurrency, duration or request bound differ); merge the shards of one run',
      );
    }
    if (r.shard.count !== first.shard.count) {
      throw new ShardReportError(`${first.source} is shard ${first.shard.index}/${first.shard.count} but ${r.source} is ${r.shard.index}/${r.shard.count}: the shard counts differ`);
    }
  }
  const byIndex = new Map<number, ShardReport>();
  for (const r of reports) {
    const seen = byIndex.get(r.shard.index);
    if (seen) throw new ShardReportError(`shard ${r.shard.index}/${r.shard.count} is given twice: ${seen.source} and ${r.source}; give each shard's report once`);
    byIndex.set(r.shard.index, r);
  }
  const n = first.shard.count;
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i));
  const warnings: string[] = [];
  if (missing.length > 0) {
    const what = `missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${n} (have ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')})`;
    if (!opts.allowPartial) throw new ShardReportError(`${what}: give every shard's report, or --allow-partial to merge these (the report then covers only part of the load)`);
    warnings.push(`${what}: the report covers only the shards merged`);
  }
  const ordered = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const { recorder, elapsedMs } = LoadRecorder.fromStates(ordered.map((r) => r.recorder), ordered.map((r) => r.source));
  return {
    summary: recorder.summary(elapsedMs),
    shards: { count: n, runId: first.shard.runId, merged: ordered.map((r) => r.shard.index), missing },
    warnings,
  };
}
