/**
 * A load shard's live figures as Prometheus metrics (prom-client), while it runs (`load --metrics-port`).
 * Every shard of a run uses the same fixed buckets, so Prometheus adds the pods' histograms bucket by bucket:
 *
 *   histogram_quantile(0.99, sum by (le) (rate(pullpath_load_pull_duration_seconds_bucket[1m])))
 *
 * is the run's p99 across every pod. (Prometheus buckets are coarse; the exact percentiles are in the final
 * report, merged from the shards' HDR histograms by `load merge`.) Bounded cardinality: labels are per result
 * class, endpoint and fault kind, never per image.
 *
 *   pullpath_load_pull_duration_seconds{result}           pull latency from its scheduled start; result = ok or the error class
 *   pullpath_load_attempt_duration_seconds{endpoint,outcome}  one source tried (ok or failed)
 *   pullpath_load_failover_seconds{fault}                  time on failing sources before the winner
 *   pullpath_load_wins_total{endpoint}                     pulls won by the endpoint
 *   pullpath_load_digest_mismatches_total                  wrong content accepted (must stay 0)
 *   pullpath_load_in_flight                                pulls started and not finished
 *   pullpath_load_shard_info{shard,shards,run_id}          1; which shard of which run this process is
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestSample, SampleVerdict } from '../load/load-recorder.ts';

/** 1 ms to 2 min: a loopback pull takes ~1 ms, a blackholed source costs its timeout. The same in every shard. */
export const LOAD_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface LoadMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  started(): void;
  observe(verdict: SampleVerdict, sample: RequestSample): void;
  text(): Promise<string>;
}

export function createLoadMetrics(info: { shard: number; shards: number; runId: string }): LoadMetrics {
  const registry = new Registry();
  const registers = [registry];
  const buckets = LOAD_BUCKETS_SECONDS;
  const pulls = new Histogram({ name: 'pullpath_load_pull_duration_seconds', help: 'Pull latency from its scheduled start, by result (ok or the final error class).', labelNames: ['result'], buckets, registers });
  const attempts = new Histogram({ name: 'pullpath_load_attempt_duration_seconds', help: 'Duration of one source tried within a pull, by endpoint and outcome.', labelNames: ['endpoint', 'outcome'], buckets, registers });
  const failover = new Histogram({ name: 'pullpath_load_failover_seconds', help: 'Time spent on failing sources before the winning one, by fault kind.', labelNames: ['fault'], buckets, registers });
  const wins = new Counter({ name: 'pullpath_load_wins_total', help: 'Pulls won by the endpoint.', labelNames: ['endpoint'], registers });
  const mismatches = new Counter({ name: 'pullpath_load_digest_mismatches_total', help: 'Pulls that accepted content other than the image digest (must stay 0).', registers });
  const inFlight = new Gauge({ name: 'pullpath_load_in_flight', help: 'Pulls started and not finished yet.', registers });
  const shardInfo = new Gauge({ name: 'pullpath_load_shard_info', help: 'Which shard of which load run this process is (always 1).', labelNames: ['shard', 'shards', 'run_id'], registers });
  shardInfo.set({ shard: String(info.shard), shards: String(info.shards), run_id: info.runId }, 1);
  mismatches.inc(0);

  return {
    registry,
    contentType: registry.contentType,
    started: () => inFlight.inc(),
    observe(v, s) {
      inFlight.dec();
      // The recorder's own verdict: a cancelled pull (Ctrl-C) is outside every figure, as in the report.
      if (v.kind === 'cancelled') return;
      for (const a of s.attempts) {
        if (a.outcome === 'blocked' || a.errorClass === 'cancelled') continue;
        attempts.observe({ endpoint: a.location, outcome: a.outcome }, a.durationMs / 1000);
      }
      const seconds = Math.max(0, s.endMs - s.intendedMs) / 1000;
      if (v.kind === 'ok') {
        pulls.observe({ result: 'ok' }, seconds);
        wins.inc({ endpoint: v.winner });
        if (v.failover) failover.observe({ fault: v.failover.kind }, v.failover.ms / 1000);
      } else {
        pulls.observe({ result: v.errorClass }, seconds);
        if (v.digestMismatch) mismatches.inc();
      }
    },
    text: () => registry.metrics(),
  };
}
