/**
 * `pullpath load --output json` (schemas/load.schema.json): one `load` record, the recorder's summary — the
 * same aggregate the TUI board and the text report lay out. Endpoints are named by `location`, as in every
 * other command's output (the summary's own field is `endpoint`). A shard (`--shard I/N`) adds `shard` and
 * `recorder` (its lossless state, for `load merge`); a merged report adds `shards` (which were merged).
 */
import type { LoadSummary } from '../load/load-summary.ts';
import type { RecorderState } from '../load/recorder-state.ts';
import type { ShardInfo } from '../load/shard-report.ts';
import type { MergedShards } from '../load/merge-shards.ts';

export interface LoadRecordExtras {
  shard?: ShardInfo;
  recorder?: RecorderState;
  shards?: MergedShards;
}

export function loadRecordJson(summary: LoadSummary, extras: LoadRecordExtras = {}): string {
  const perEndpoint = summary.perEndpoint.map(({ endpoint, ...rest }) => ({ location: endpoint, ...rest }));
  return JSON.stringify({ type: 'load', ...summary, perEndpoint, ...extras }) + '\n';
}
