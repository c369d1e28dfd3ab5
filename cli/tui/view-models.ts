/**
 * View-model types that other engines feed to the TUI: probe snapshots, load summaries, scenario
 * expectations.
 * Plain data only: the TUI renders them and derives nothing about resolution.
 */
import type { ErrorClass } from '../../src/events/pull-events.ts';
import type { LoadSummary } from '../../src/load/load-summary.ts';

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

/**
 * The load board at one instant: the load recorder's own summary, as the text report and the JSON get it.
 * The board lays it out and derives nothing (DESIGN.md: no view re-derives what the engine knows).
 */
export interface LoadBoardSnapshot {
  summary: LoadSummary;
  /** Planned run length (--duration), when known. */
  durationMs: number | null;
}
