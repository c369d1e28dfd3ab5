/**
 * A load run: many pulls through the real resolution chain (each a Resolution run by the pull engine's
 * `pullOne`, exactly as `pullpath pull` runs it), scheduled closed- or open-loop, every event recorded.
 * Returns the final LoadSummary; `onSnapshot` receives live ones for the TUI. Never prints.
 */
import type { Resolution } from '../resolve/resolution.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import type { PullOptions } from '../pull/options.ts';
import { pullOne } from '../pull/pull-one.ts';
import { realClock, type Clock } from './clock.ts';
import { LoadRecorder, type FaultKindOf, type RequestSample, type SampleVerdict } from './load-recorder.ts';
import type { RecorderState } from './recorder-state.ts';
import { shardImageIndex, type ShardSpec } from './shard.ts';
import type { FaultWindow, LoadSummary } from './load-summary.ts';
import { faultKindFromWindows } from './fault-windows.ts';
import { runSchedule, type LoadMode } from './scheduler.ts';

export type PullOneFn = (resolution: Resolution, options: PullOptions, emit: (e: PullEvent) => void, signal?: AbortSignal) => Promise<ResultEvent>;

export interface LoadTarget {
  /** Images to pull, cycled in order (request i pulls image i mod n; a shard's request k is the run's request I + kN). */
  resolutions: Resolution[];
  /** The digest each image must have, when known (same order); null: not checked. */
  expectedDigests?: (string | null)[];
}

export interface LoadRunOptions {
  target: LoadTarget;
  /** The engine's options (client, per-attempt timeout); `image` is set per pull. */
  pull: Omit<PullOptions, 'image' | 'startedAt'>;
  mode: LoadMode;
  durationMs: number | null;
  maxRequests: number | null;
  signal?: AbortSignal;
  /**
   * The fault timeline in run time. A function is called at the instant the run's clock starts, so the
   * windows are measured from that instant: whatever the caller does between starting the registries and
   * starting the run (loading the TUI took 0.6 s) cannot shift them. Taken earlier, the windows started
   * late in run time, and failures in the gap were named by error class (`refused`) instead of the fault.
   */
  faults?: FaultWindow[] | (() => FaultWindow[]);
  /** Names the fault behind a failed attempt; default: the fault window active on its registry. */
  faultKindOf?: FaultKindOf;
  /** Live summaries every `snapshotEveryMs` (default 250) while running, and one at the end. */
  onSnapshot?: (s: LoadSummary) => void;
  snapshotEveryMs?: number;
  /** Every engine event of every pull, as it happens (e.g. for the runtime's debug lines). */
  onEvent?: (e: PullEvent) => void;
  /** Every finished pull with the recorder's verdict on it (live metrics count exactly what the report counts). */
  onSample?: (verdict: SampleVerdict, sample: RequestSample) => void;
  /** A pull was handed to the engine (live in-flight gauges). */
  onStart?: () => void;
  /**
   * This process is shard I of N (`load --shard`): its k-th pull takes the run's slot I + kN and that slot's
   * image. The mode's rate/concurrency and maxRequests are already this shard's share (src/load/shard.ts).
   */
  shard?: ShardSpec;
  clock?: Clock;
  pullOne?: PullOneFn;
}

export interface RecordedLoad {
  summary: LoadSummary;
  /** The recorder's lossless state at the end, for a shard report (encoded on demand). */
  state: () => RecorderState;
}

export async function runLoad(opts: LoadRunOptions): Promise<LoadSummary> {
  return (await runLoadRecorded(opts)).summary;
}

export async function runLoadRecorded(opts: LoadRunOptions): Promise<RecordedLoad> {
  const clock = opts.clock ?? realClock;
  const run = opts.pullOne ?? pullOne;
  const { resolutions, expectedDigests } = opts.target;
  if (resolutions.length === 0) throw new Error('load: no image to pull');
  // The engine's options per image, built once (not per pull).
  const pullOptions: PullOptions[] = resolutions.map((r) => Object.assign({}, opts.pull, { image: r.ref }));
  // Nothing may run between reading the fault timeline and t0: both are the run's time base.
  const faults = typeof opts.faults === 'function' ? opts.faults() : opts.faults;
  const t0 = clock.now();
  const faultKindOf = opts.faultKindOf ?? (faults && faults.length > 0 ? faultKindFromWindows(faults) : undefined);
  const recorder = new LoadRecorder({ mode: opts.mode.kind, ...(faults ? { faults } : {}), ...(faultKindOf ? { faultKindOf } : {}) });
  const now = (): number => clock.now() - t0;
  const timer = opts.onSnapshot ? setInterval(() => opts.onSnapshot!(recorder.summary(now())), opts.snapshotEveryMs ?? 250) : null;
  timer?.unref();
  try {
    await runSchedule(
      { mode: opts.mode, durationMs: opts.durationMs, maxRequests: opts.maxRequests, origin: t0, ...(opts.signal ? { signal: opts.signal } : {}) },
      async (slot) => {
        const i = opts.shard ? shardImageIndex(opts.shard, slot.seq, resolutions.length) : slot.seq % resolutions.length;
        const r = resolutions[i]!;
        const attempts: AttemptEvent[] = [];
        let result: ResultEvent | null = null;
        recorder.started();
        opts.onStart?.();
        try {
          result = await run(r, pullOptions[i]!, (e) => {
            opts.onEvent?.(e);
            if (e.type === 'attempt') attempts.push(e);
          }, opts.signal);
        } catch {
          result = null; // counted as class "internal": the engine should never throw
        }
        const sample: RequestSample = { intendedMs: slot.intendedMs, startMs: slot.startMs, endMs: now(), attempts, result, expectedDigest: expectedDigests?.[i] ?? null };
        const verdict = recorder.finished(sample);
        opts.onSample?.(verdict, sample);
      },
      clock,
    );
  } finally {
    if (timer) clearInterval(timer);
  }
  const end = now();
  const final = recorder.summary(end);
  opts.onSnapshot?.(final);
  return { summary: final, state: () => recorder.toState(end) };
}
