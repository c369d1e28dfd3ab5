/**
 * What a load run reports, live and at the end: pure data, the JSON contract of
 * `pullpath load --output json` (camelCase, stable). Produced by `load-recorder.ts`,
 * rendered by `src/report/load-text.ts` and the TUI.
 */
import type { LatencySummary } from './latency-histogram.ts';

/** A fault as the scenario declares it: on which registry, what kind, and when (ms since the run started). */
export interface FaultWindow {
  /** The registry's configured host name (as in registries.conf). */
  registry: string;
  kind: string;
  fromMs: number;
  /** null: active until the end of the run. */
  toMs: number | null;
  /** Path pattern the fault is limited to, if any. */
  path?: string;
}

export interface EndpointLoadSummary {
  /** The endpoint's configured location (`mirror.example.com/dockerhub`). */
  endpoint: string;
  mirror: boolean;
  attempts: number;
  ok: number;
  failed: number;
  blocked: number;
  /** Failed attempts by error class. */
  errors: Record<string, number>;
  latency: LatencySummary;
  /** Per step (ping, auth, manifest, blobs). */
  steps: Record<string, LatencySummary>;
  /** When this endpoint was seen failing: the first and last failed attempt's end (ms since run start). */
  failingFromMs: number | null;
  failingToMs: number | null;
}

export interface LoadSummary {
  /** 'closed' (fixed concurrency) or 'open' (fixed arrival rate). */
  mode: 'closed' | 'open';
  elapsedMs: number;
  /** Requests finished (each a full pull through the resolution chain). */
  requests: number;
  /** Requests started but not finished yet. */
  inFlight: number;
  /**
   * Requests the run itself stopped (Ctrl-C, a closed output): neither successes nor failures, and kept out
   * of every latency figure, success rate and failing window, since no endpoint answered them.
   */
  cancelled: number;
  successes: number;
  /** Failed requests by the final error class; successes + sum(failures) === requests, always. */
  failures: Record<string, number>;
  /** Finished requests per second of elapsed time. */
  throughputPerSec: number;
  successRate: number;
  /** End-to-end latency from the intended start (open loop: the scheduled send time, so no coordinated omission). */
  latency: LatencySummary;
  /** Service time: from the actual start. Equal to `latency` in closed loop; the gap in open loop is queueing. */
  serviceTime: LatencySummary;
  /** Requests that started more than 10 ms after their scheduled time (open loop: in-flight cap or generator behind). */
  lateStarts: number;
  perEndpoint: EndpointLoadSummary[];
  /** Latency per step over all endpoints. */
  perStep: Record<string, LatencySummary>;
  /** Which source won, by endpoint ("(none)" for failed requests is not counted here). */
  winners: Record<string, number>;
  /** Time spent on failing sources before the winning one, per fault kind (only pulls that failed over). */
  failover: Record<string, LatencySummary>;
  /** Pulls that succeeded with content other than the image's known digest (accepted wrong content): must be 0.
   *  Mismatches the engine detected and failed over from are counted as endpoint errors of class digest-mismatch. */
  digestMismatches: number;
  /** The scenario's fault windows, as declared. */
  faults: FaultWindow[];
  /** Finished requests per whole second since the start: [ok, failed] pairs (for sparklines). */
  perSecond: { ok: number; failed: number }[];
}
