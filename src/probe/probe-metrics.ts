/**
 * What the metrics server needs from a metrics sink. The type lives with the prober (the lower layer) so that
 * `probe/` never imports `report/`; `report/prometheus.ts` implements it with prom-client.
 */
import type { Registry } from 'prom-client';
import type { HealthChange } from './probe-tracker.ts';
import type { HealthState, ProbeOutcome } from './probe-types.ts';

export interface ProbeMetrics {
  readonly registry: Registry;
  observe(outcome: ProbeOutcome, change: HealthChange | null, healthNow: HealthState): void;
  /** The text exposition, as served on /metrics. */
  text(): Promise<string>;
  readonly contentType: string;
}
