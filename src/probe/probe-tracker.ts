/**
 * Samples → state for `probe --watch`: per endpoint, the rolling window of probes (for health), HDR
 * histograms per step (for percentiles), error counts by class, and when the health last changed.
 * `snapshot()` is the pure aggregate every view reads (table, JSON Lines, TUI).
 */
import { createLatencyHistogram, recordMs, summarizeHistogram, type LatencyHistogram, type LatencySummary } from '../load/latency-histogram.ts';
import { DEFAULT_HEALTH, healthOf, type HealthOptions } from './health.ts';
import type { HealthState, ProbeEndpoint, ProbeOutcome, SkippedEndpoint } from './probe-types.ts';

export interface EndpointHealth {
  endpoint: string;
  role: ProbeEndpoint['role'];
  insecure: boolean;
  prefixes: string[];
  canary: string | null;
  state: HealthState;
  reason: string;
  /** ms since the run started when the state last changed (null: never probed). */
  lastChangeMs: number | null;
  /** The state before the last change (null: none). */
  previousState: HealthState | null;
  /** The rolling window health is computed over. */
  window: { probes: number; failures: number };
  /** Whole-probe latency (sum of steps) of the probes that passed, over the whole run. */
  probeLatency: LatencySummary;
  /** The latest failure, in words, and its class (null when none yet). */
  lastError: string | null;
  lastErrorClass: string | null;
  probes: number;
  failures: number;
  /** Failed probes by the failing step's error class. */
  errors: Record<string, number>;
  /** Latency per step, over the whole run. */
  latency: Record<string, LatencySummary>;
  last: ProbeOutcome | null;
}

export interface ProbeSnapshot {
  /** Round number (1 = the first full pass over the endpoints). */
  round: number;
  atMs: number;
  endpoints: EndpointHealth[];
  skipped: SkippedEndpoint[];
  counts: Record<HealthState, number>;
}

interface Track {
  ep: ProbeEndpoint;
  recent: ProbeOutcome[];
  state: HealthState;
  reason: string;
  lastChangeMs: number | null;
  previousState: HealthState | null;
  probes: number;
  failures: number;
  errors: Map<string, number>;
  steps: Map<string, LatencyHistogram>;
  okTotal: LatencyHistogram;
  lastError: string | null;
  lastErrorClass: string | null;
}

/** What changed with one recorded probe (for the Prometheus exporter and change logs). */
export interface HealthChange {
  endpoint: string;
  from: HealthState;
  to: HealthState;
  reason: string;
  atMs: number;
}

export class ProbeTracker {
  readonly #tracks = new Map<string, Track>();
  readonly #skipped: SkippedEndpoint[];
  readonly #opts: HealthOptions;
  #round = 0;
  #lastAt = 0;

  constructor(endpoints: ProbeEndpoint[], skipped: SkippedEndpoint[] = [], opts: HealthOptions = DEFAULT_HEALTH) {
    this.#opts = opts;
    this.#skipped = skipped;
    for (const ep of endpoints) {
      this.#tracks.set(ep.location, { ep, recent: [], state: 'unknown', reason: 'not probed yet', lastChangeMs: null, previousState: null, probes: 0, failures: 0, errors: new Map(), steps: new Map(), okTotal: createLatencyHistogram(), lastError: null, lastErrorClass: null });
    }
  }

  /** Counts recorded probes: a snapshot taken later than a version differs from one taken at it. */
  version = 0;

  record(o: ProbeOutcome): HealthChange | null {
    const t = this.#tracks.get(o.endpoint);
    if (!t) return null;
    this.version++;
    this.#lastAt = Math.max(this.#lastAt, o.atMs);
    t.probes++;
    t.recent.push(o);
    if (t.recent.length > this.#opts.window) t.recent.shift();
    for (const s of o.steps) {
      let h = t.steps.get(s.step);
      if (!h) t.steps.set(s.step, (h = createLatencyHistogram()));
      recordMs(h, s.durationMs);
    }
    if (!o.ok) {
      t.failures++;
      const failed = o.steps.find((s) => !s.ok);
      const cls = failed?.errorClass ?? 'other';
      t.errors.set(cls, (t.errors.get(cls) ?? 0) + 1);
      t.lastError = failed?.error ?? null;
      t.lastErrorClass = cls;
    } else {
      recordMs(t.okTotal, o.steps.reduce((a, s) => a + s.durationMs, 0));
    }
    const h = healthOf(t.recent, this.#opts);
    const from = t.state;
    t.reason = h.reason;
    if (h.state !== from) {
      t.previousState = from;
      t.state = h.state;
      t.lastChangeMs = o.atMs;
      return { endpoint: o.endpoint, from, to: h.state, reason: h.reason, atMs: o.atMs };
    }
    return null;
  }

  /** The current health of one endpoint, without the percentile summaries `snapshot()` computes. */
  health(endpoint: string): { state: HealthState; reason: string } | null {
    const t = this.#tracks.get(endpoint);
    return t ? { state: t.state, reason: t.reason } : null;
  }

  /** Marks the end of a pass over every endpoint. */
  endRound(): void {
    this.#round++;
  }

  snapshot(): ProbeSnapshot {
    const counts: Record<HealthState, number> = { unknown: 0, up: 0, degraded: 0, down: 0 };
    const endpoints = [...this.#tracks.values()].map((t): EndpointHealth => {
      counts[t.state]++;
      return {
        endpoint: t.ep.location,
        role: t.ep.role,
        insecure: t.ep.insecure,
        prefixes: t.ep.prefixes,
        canary: t.ep.canary,
        state: t.state,
        reason: t.reason,
        lastChangeMs: t.lastChangeMs,
        previousState: t.previousState,
        window: { probes: t.recent.length, failures: t.recent.filter((p) => !p.ok).length },
        probeLatency: summarizeHistogram(t.okTotal),
        lastError: t.lastError,
        lastErrorClass: t.lastErrorClass,
        probes: t.probes,
        failures: t.failures,
        errors: Object.fromEntries([...t.errors].sort(([a], [b]) => a.localeCompare(b))),
        latency: Object.fromEntries([...t.steps].map(([k, h]) => [k, summarizeHistogram(h)])),
        last: t.recent.at(-1) ?? null,
      };
    });
    return { round: this.#round, atMs: this.#lastAt, endpoints, skipped: this.#skipped, counts };
  }
}
