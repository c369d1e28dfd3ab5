/**
 * Samples → histograms. The load runner feeds every PullEvent of every pull (the same events the
 * `pull` command shows) plus one completion sample per request; `summary()` is the pure aggregate.
 * Times are the load run's own clock (ms since the run started), never the engine's `at` fields,
 * so windows and throughput share one time base.
 */
import type { AttemptEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import { createLatencyHistogram, recordMs, summarizeHistogram, type LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import type { EndpointLoadSummary, FaultWindow, LoadSummary } from './load-summary.ts';
import { addEncoded, encodeHistogram, type EncodedHistogram } from './histogram-codec.ts';
import type { EndpointState as EncodedEndpoint, RecorderState } from './recorder-state.ts';

/** A pull that starts more than this after its scheduled time counts as late (timer jitter stays below it). */
export const LATE_MS = 10;

/** One finished request, as the scheduler saw it. */
export interface RequestSample {
  /** When the request should have started (open loop: its scheduled slot). */
  intendedMs: number;
  startMs: number;
  endMs: number;
  /** The pull's verdict (null when the engine threw before producing one). */
  result: ResultEvent | null;
  /** The pull's attempts, in order. */
  attempts: AttemptEvent[];
  /** The digest the content must have, when known (scenario images); a different one is a mismatch. */
  expectedDigest?: string | null;
}

/**
 * How the recorder judged one request, for live views that count the same things (Prometheus): exactly
 * the classification the summary uses, so a scrape and the final report never disagree.
 */
export type SampleVerdict =
  | { kind: 'cancelled' }
  | { kind: 'ok'; winner: string; failover: { kind: string; ms: number } | null }
  | { kind: 'failed'; errorClass: string; digestMismatch: boolean };

/** Names the fault kind behind a failed attempt (a scenario knows "blackhole" where the engine sees "timeout"). */
export type FaultKindOf = (attempt: AttemptEvent, endMs: number) => string | null;

interface EndpointState {
  mirror: boolean;
  /** The lowest source position it was tried at (mirrors before the source): the report's row order. */
  order: number;
  attempts: number;
  ok: number;
  failed: number;
  blocked: number;
  errors: Map<string, number>;
  latency: LatencyHistogram;
  steps: Map<string, LatencyHistogram>;
  failingFromMs: number | null;
  failingToMs: number | null;
}

export interface LoadRecorderOptions {
  mode: 'closed' | 'open';
  faults?: FaultWindow[];
  faultKindOf?: FaultKindOf;
}

export class LoadRecorder {
  readonly #mode: 'closed' | 'open';
  readonly #faults: FaultWindow[];
  readonly #faultKindOf: FaultKindOf;
  #started = 0;
  #requests = 0;
  #successes = 0;
  #lateStarts = 0;
  #cancelled = 0;
  #digestMismatches = 0;
  readonly #failures = new Map<string, number>();
  readonly #latency = createLatencyHistogram();
  readonly #service = createLatencyHistogram();
  readonly #endpoints = new Map<string, EndpointState>();
  readonly #steps = new Map<string, LatencyHistogram>();
  readonly #winners = new Map<string, number>();
  readonly #failover = new Map<string, LatencyHistogram>();
  readonly #perSecond: { ok: number; failed: number }[] = [];

  constructor(opts: LoadRecorderOptions) {
    this.#mode = opts.mode;
    this.#faults = opts.faults ?? [];
    this.#faultKindOf = opts.faultKindOf ?? ((a) => a.errorClass);
  }

  /** A request was handed to the engine (for the in-flight count). */
  started(): void {
    this.#started++;
  }

  /** Records one finished request with its attempts. `endMs` of attempts is approximated by the request's timeline. */
  finished(s: RequestSample): SampleVerdict {
    // A pull the run stopped says nothing about the endpoints: count it apart from every figure.
    if (s.result?.errorClass === 'cancelled') {
      this.#cancelled++;
      for (const a of s.attempts) if (a.errorClass !== 'cancelled') this.#recordAttempt(a, s.endMs);
      return { kind: 'cancelled' };
    }
    this.#requests++;
    recordMs(this.#latency, s.endMs - s.intendedMs);
    recordMs(this.#service, s.endMs - s.startMs);
    if (s.startMs - s.intendedMs > LATE_MS) this.#lateStarts++;
    const sec = Math.max(0, Math.floor(s.endMs / 1000));
    while (this.#perSecond.length <= sec) this.#perSecond.push({ ok: 0, failed: 0 });
    const bucket = this.#perSecond[sec]!;

    // Attempt end times: the start plus the running sum of durations (the engine runs sources in sequence).
    let t = s.startMs;
    let failingBefore = 0;
    const failingKinds: string[] = [];
    for (const a of s.attempts) {
      t += a.durationMs;
      this.#recordAttempt(a, Math.min(t, s.endMs));
      if (a.outcome === 'failed') {
        failingBefore += a.durationMs;
        const kind = this.#faultKindOf(a, Math.min(t, s.endMs)) ?? a.errorClass ?? 'other';
        if (!failingKinds.includes(kind)) failingKinds.push(kind);
      }
      if (a.outcome === 'ok') break;
    }

    const r = s.result;
    // A mismatch the engine detected is an attempt failure (class digest-mismatch) and fails over;
    // this counts content the engine *accepted* that is not what the image is: must stay 0.
    const mismatch = r !== null && r.ok && !!s.expectedDigest && !!r.digest && r.digest !== s.expectedDigest;
    if (mismatch) this.#digestMismatches++;
    if (r !== null && r.ok && !mismatch) {
      this.#successes++;
      bucket.ok++;
      const winner = r.sourceIndex !== null ? s.attempts.find((a) => a.index === r.sourceIndex) : undefined;
      const key = winner?.location || r.source || '(unknown)';
      this.#winners.set(key, (this.#winners.get(key) ?? 0) + 1);
      if (failingKinds.length > 0) {
        const kind = failingKinds.join('+');
        let h = this.#failover.get(kind);
        if (!h) this.#failover.set(kind, (h = createLatencyHistogram()));
        recordMs(h, failingBefore);
        return { kind: 'ok', winner: key, failover: { kind, ms: failingBefore } };
      }
      return { kind: 'ok', winner: key, failover: null };
    }
    // A success with the wrong content is a failure of class digest-mismatch, never a success.
    const cls = r === null ? 'internal' : r.ok ? 'digest-mismatch' : (r.errorClass ?? 'other');
    this.#failures.set(cls, (this.#failures.get(cls) ?? 0) + 1);
    bucket.failed++;
    return { kind: 'failed', errorClass: cls, digestMismatch: mismatch };
  }

  #recordAttempt(a: AttemptEvent, endMs: number): void {
    let e = this.#endpoints.get(a.location);
    if (!e) {
      e = { mirror: a.mirror, order: a.index, attempts: 0, ok: 0, failed: 0, blocked: 0, errors: new Map(), latency: createLatencyHistogram(), steps: new Map(), failingFromMs: null, failingToMs: null };
      this.#endpoints.set(a.location, e);
    }
    e.attempts++;
    e.order = Math.min(e.order, a.index);
    if (a.outcome === 'blocked') {
      e.blocked++;
      return; // no traffic: no latency to record
    }
    recordMs(e.latency, a.durationMs);
    if (a.outcome === 'ok') e.ok++;
    else {
      e.failed++;
      const cls = a.errorClass ?? 'other';
      e.errors.set(cls, (e.errors.get(cls) ?? 0) + 1);
      e.failingFromMs = e.failingFromMs === null ? endMs : Math.min(e.failingFromMs, endMs);
      e.failingToMs = e.failingToMs === null ? endMs : Math.max(e.failingToMs, endMs);
    }
    for (const st of a.steps) {
      let h = e.steps.get(st.step);
      if (!h) e.steps.set(st.step, (h = createLatencyHistogram()));
      recordMs(h, st.durationMs);
      let g = this.#steps.get(st.step);
      if (!g) this.#steps.set(st.step, (g = createLatencyHistogram()));
      recordMs(g, st.durationMs);
    }
  }

  /** Convenience for runners that collect a pull's events: splits them into attempts and the result. */
  static split(events: PullEvent[]): { attempts: AttemptEvent[]; result: ResultEvent | null } {
    const attempts: AttemptEvent[] = [];
    let result: ResultEvent | null = null;
    for (const ev of events) {
      if (ev.type === 'attempt') attempts.push(ev);
      else if (ev.type === 'result') result = ev;
    }
    return { attempts, result };
  }

  /** The pure aggregate at `nowMs` (ms since the run started). */
  summary(nowMs: number): LoadSummary {
    const elapsed = Math.max(nowMs, 0);
    const mapSummary = (m: Map<string, LatencyHistogram>): Record<string, LatencySummary> =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, h]) => [k, summarizeHistogram(h)]));
    // Rows in resolution order (mirrors before the source), then by name: an order that does not depend on
    // which pull happened to reach an endpoint first, so N shards merged list them as one run does.
    const rows = [...this.#endpoints].sort(([a, x], [b, y]) => x.order - y.order || (a < b ? -1 : a > b ? 1 : 0));
    const perEndpoint: EndpointLoadSummary[] = rows.map(([endpoint, e]) => ({
      endpoint,
      mirror: e.mirror,
      attempts: e.attempts,
      ok: e.ok,
      failed: e.failed,
      blocked: e.blocked,
      errors: Object.fromEntries([...e.errors].sort(([a], [b]) => a.localeCompare(b))),
      latency: summarizeHistogram(e.latency),
      steps: mapSummary(e.steps),
      failingFromMs: e.failingFromMs,
      failingToMs: e.failingToMs,
    }));
    return {
      mode: this.#mode,
      elapsedMs: Math.round(elapsed),
      requests: this.#requests,
      inFlight: this.#started - this.#requests - this.#cancelled,
      cancelled: this.#cancelled,
      successes: this.#successes,
      failures: Object.fromEntries([...this.#failures].sort(([a], [b]) => a.localeCompare(b))),
      throughputPerSec: elapsed > 0 ? Math.round((this.#requests / elapsed) * 1000 * 10) / 10 : 0,
      successRate: this.#requests > 0 ? this.#successes / this.#requests : 0,
      latency: summarizeHistogram(this.#latency),
      serviceTime: summarizeHistogram(this.#service),
      lateStarts: this.#lateStarts,
      perEndpoint,
      perStep: mapSummary(this.#steps),
      // Most wins first; ties by name, so the order does not depend on which pull finished first.
      winners: Object.fromEntries([...this.#winners].sort(([x, a], [y, b]) => b - a || (x < y ? -1 : x > y ? 1 : 0))),
      failover: mapSummary(this.#failover),
      digestMismatches: this.#digestMismatches,
      faults: this.#faults,
      perSecond: this.#perSecond.map((b) => ({ ...b })),
    };
  }

  /**
   * Everything the summary is computed from, serialisable and lossless (histograms HDR-encoded): what a
   * shard writes into its report so that `load merge` can rebuild the recorder of the whole run.
   */
  toState(nowMs: number): RecorderState {
    const enc = (m: Map<string, LatencyHistogram>): Record<string, EncodedHistogram> =>
      Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, h]) => [k, encodeHistogram(h)]));
    const counts = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      version: 1,
      mode: this.#mode,
      elapsedMs: Math.max(nowMs, 0),
      started: this.#started,
      requests: this.#requests,
      successes: this.#successes,
      lateStarts: this.#lateStarts,
      cancelled: this.#cancelled,
      digestMismatches: this.#digestMismatches,
      failures: counts(this.#failures),
      winners: counts(this.#winners),
      latency: encodeHistogram(this.#latency),
      serviceTime: encodeHistogram(this.#service),
      steps: enc(this.#steps),
      failover: enc(this.#failover),
      endpoints: [...this.#endpoints].map(([endpoint, e]): EncodedEndpoint => ({
        endpoint, mirror: e.mirror, order: e.order, attempts: e.attempts, ok: e.ok, failed: e.failed, blocked: e.blocked,
        errors: counts(e.errors), latency: encodeHistogram(e.latency), steps: enc(e.steps), failingFromMs: e.failingFromMs, failingToMs: e.failingToMs,
      })),
      faults: this.#faults,
      perSecond: this.#perSecond.map((b) => ({ ...b })),
    };
  }

  /**
   * The recorder of the whole run from its shards' states: counts summed, histograms added bucket by bucket
   * (so every percentile is the one a single recorder of all the samples reports, not an average), failing
   * windows widened, per-second buckets summed. Faults are the first state's (every shard runs the same
   * scenario). `where[i]` names state i in errors. Returns the recorder and the run's elapsed time (the
   * longest shard's).
   */
  static fromStates(states: readonly RecorderState[], where: readonly string[]): { recorder: LoadRecorder; elapsedMs: number } {
    if (states.length === 0) throw new Error('fromStates: no state');
    const first = states[0]!;
    const r = new LoadRecorder({ mode: first.mode, faults: first.faults });
    const addCounts = (into: Map<string, number>, from: Record<string, number>): void => {
      for (const [k, n] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + n);
    };
    const addHists = (into: Map<string, LatencyHistogram>, from: Record<string, EncodedHistogram>, at: string): void => {
      for (const [k, e] of Object.entries(from)) {
        let h = into.get(k);
        if (!h) into.set(k, (h = createLatencyHistogram()));
        addEncoded(h, e, `${at}.${k}`);
      }
    };
    let elapsedMs = 0;
    states.forEach((st, i) => {
      const at = `${where[i] ?? `state ${i}`}: recorder`;
      elapsedMs = Math.max(elapsedMs, st.elapsedMs);
      r.#started += st.started;
      r.#requests += st.requests;
      r.#successes += st.successes;
      r.#lateStarts += st.lateStarts;
      r.#cancelled += st.cancelled;
      r.#digestMismatches += st.digestMismatches;
      addCounts(r.#failures, st.failures);
      addCounts(r.#winners, st.winners);
      addEncoded(r.#latency, st.latency, `${at}.latency`);
      addEncoded(r.#service, st.serviceTime, `${at}.serviceTime`);
      addHists(r.#steps, st.steps, `${at}.steps`);
      addHists(r.#failover, st.failover, `${at}.failover`);
      for (const se of st.endpoints) {
        let e = r.#endpoints.get(se.endpoint);
        if (!e) {
          e = { mirror: se.mirror, order: se.order, attempts: 0, ok: 0, failed: 0, blocked: 0, errors: new Map(), latency: createLatencyHistogram(), steps: new Map(), failingFromMs: null, failingToMs: null };
          r.#endpoints.set(se.endpoint, e);
        }
        e.order = Math.min(e.order, se.order);
        e.attempts += se.attempts;
        e.ok += se.ok;
        e.failed += se.failed;
        e.blocked += se.blocked;
        addCounts(e.errors, se.errors);
        addEncoded(e.latency, se.latency, `${at}.endpoints[${se.endpoint}].latency`);
        addHists(e.steps, se.steps, `${at}.endpoints[${se.endpoint}].steps`);
        if (se.failingFromMs !== null) e.failingFromMs = e.failingFromMs === null ? se.failingFromMs : Math.min(e.failingFromMs, se.failingFromMs);
        if (se.failingToMs !== null) e.failingToMs = e.failingToMs === null ? se.failingToMs : Math.max(e.failingToMs, se.failingToMs);
      }
      st.perSecond.forEach((b, sec) => {
        while (r.#perSecond.length <= sec) r.#perSecond.push({ ok: 0, failed: 0 });
        r.#perSecond[sec]!.ok += b.ok;
        r.#perSecond[sec]!.failed += b.failed;
      });
    });
    return { recorder: r, elapsedMs };
  }
}
