/**
 * A load recorder's state as it travels in a shard report (`load --shard I/N -o json`, field `recorder`):
 * the counts and the HDR-encoded histograms every figure of the report is computed from. Version 1.
 */
import type { EncodedHistogram } from './histogram-codec.ts';
import type { FaultWindow } from './load-summary.ts';

export interface EndpointState {
  endpoint: string;
  mirror: boolean;
  order: number;
  attempts: number;
  ok: number;
  failed: number;
  blocked: number;
  errors: Record<string, number>;
  latency: EncodedHistogram;
  steps: Record<string, EncodedHistogram>;
  failingFromMs: number | null;
  failingToMs: number | null;
}

export interface RecorderState {
  version: 1;
  mode: 'closed' | 'open';
  /** The shard's elapsed time, unrounded (ms). */
  elapsedMs: number;
  started: number;
  requests: number;
  successes: number;
  lateStarts: number;
  cancelled: number;
  digestMismatches: number;
  failures: Record<string, number>;
  winners: Record<string, number>;
  latency: EncodedHistogram;
  serviceTime: EncodedHistogram;
  steps: Record<string, EncodedHistogram>;
  failover: Record<string, EncodedHistogram>;
  endpoints: EndpointState[];
  faults: FaultWindow[];
  perSecond: { ok: number; failed: number }[];
}
