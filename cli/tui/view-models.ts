/**
 * View-model types that other engines feed to the TUI. The probe and load engines (another
 * issue) produce streams of these snapshots; the scenario runner produces expectations.
 * Plain data only: the TUI renders them and derives nothing about resolution.
 */
import type { ErrorClass } from '../../src/pull/events.ts';

/** One scenario expectation as the scenario view shows it. */
export interface ScenarioExpectation {
  /** Short name in words: "app:1.4 is served by mirror 2", "primary never contacted". */
  name: string;
  /** true met, false not met, null not decided yet (the run is still going). */
  met: boolean | null;
  /** Why, in words: "pulled from mirror1.example.com/org/app:1.4", "3 requests reached quay.io". */
  detail?: string;
}

export type Health = 'up' | 'degraded' | 'down' | 'unknown';

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
}

/** One probed endpoint on the probe board. */
export interface ProbeEndpointView {
  /** Stable key and display name: "mirror.example.com:5000" or "mirror.example.com:5000/org". */
  endpoint: string;
  /** Why it is probed, in words: "mirror 1 of quay.io (/etc/containers/registries.conf:12)". */
  role?: string;
  health: Health;
  /** Latency of successful probes in the window, in ms; null before the first success. */
  latencyMs: LatencyPercentiles | null;
  /** Failed probes / all probes in the window, 0..1. */
  errorRate: number;
  /** Probes in the window. */
  samples: number;
  /** When health last changed (same clock as the snapshot's `at`) and what it was before. */
  lastChange: { at: number; from: Health | null } | null;
  /** The last failure in the runtime's words, if any. */
  lastError?: string | null;
  lastErrorClass?: ErrorClass | null;
}

/** The whole probe board at one instant. */
export interface ProbeBoardSnapshot {
  /** ms since the probe run started. */
  at: number;
  endpoints: ProbeEndpointView[];
}

/** One endpoint on the load board. */
export interface LoadEndpointView {
  endpoint: string;
  role?: string;
  /** Requests sent to this endpoint so far, and how many failed. */
  requests: number;
  errors: number;
  /** Pulls this endpoint served (the winning source). */
  wins: number;
  /** Requests per second over the last interval; the board keeps a history for the sparkline. */
  throughput: number;
  latencyMs: LatencyPercentiles | null;
  health?: Health;
}

/** Time spent on failing sources before the first success, for one fault kind. */
export interface FailoverStat {
  /** The fault as the scenario names it: "refused", "hang", "5xx", "404", "429", "digest". */
  faultKind: string;
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** The whole load board at one instant. */
export interface LoadBoardSnapshot {
  /** ms since the load run started. */
  at: number;
  /** Planned run length, when known. */
  durationMs?: number | null;
  completed: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  /** Pulls per second over the last interval. */
  throughput: number;
  /** Pulls that succeeded from a source other than the first. */
  failovers: number;
  /** Pulls that reached the primary (upstream) location. */
  upstreamHits?: number;
  timeToFailover: FailoverStat[];
  endpoints: LoadEndpointView[];
}
