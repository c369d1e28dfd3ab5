/**
 * What the metrics server needs from a metrics sink. The type lives with the prober (the lower layer) so that
 * `probe/` never imports `report/`; `report/prometheus.ts` implements it with prom-client.
 */
import type { Registry } from 'prom-client';
import type { HealthChange } from './probe-tracker.ts';
import type { HealthState, ProbeOutcome } from './probe-types.ts';

/** What a metrics server serves: the text exposition, as served on /metrics. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

export interface ProbeMetrics extends MetricsSource {
  readonly registry: Registry;
  observe(outcome: ProbeOutcome, change: HealthChange | null, healthNow: HealthState): void;
  /** A TLS chain seen on a connection to `host` (ProbeEndpoint.host): its earliest notAfter, Unix seconds. */
  observeCertificate(host: string, notAfterSeconds: number): void;
}
