/**
 * Load schedules. Closed loop: N workers, each starts its next pull when the previous one ends
 * (throughput follows latency). Open loop: pulls start at fixed send times i/rate regardless of how
 * the previous ones fare, and each pull's latency counts from its *intended* send time, so a stall
 * shows up in the percentiles instead of silently lowering the request rate (coordinated omission).
 * Both stop by themselves at `durationMs` or `maxRequests`, whichever comes first, then wait for the
 * pulls in flight (each bounded by the engine's own timeout).
 */
import type { Clock } from './clock.ts';
import { UsageError } from '../errors.ts';

export type LoadMode =
  | { kind: 'closed'; concurrency: number }
  | {
      kind: 'open';
      ratePerSec: number;
      maxInFlight?: number;
      /**
       * One shard of a run (`load --shard`): the k-th pull takes slot `first + k × every` of the schedule at
       * `ratePerSec` (the whole run's rate), so N shards' schedules interleave into exactly the single one.
       * Default: every slot (first 0, every 1).
       */
      slots?: { first: number; every: number };
    };

export interface ScheduleOptions {
  mode: LoadMode;
  /** Stop starting pulls after this long (ms); null = no time bound (then maxRequests must be set). */
  durationMs: number | null;
  maxRequests: number | null;
  signal?: AbortSignal;
  /** The clock reading times are relative to (default: when runSchedule is called). */
  origin?: number;
}

/** One scheduled pull. Times are ms since the schedule started. */
export interface Slot {
  seq: number;
  intendedMs: number;
  startMs: number;
}

export interface ScheduleResult {
  started: number;
  elapsedMs: number;
}

/** Open loop, behind schedule: pulls started between two yields to the event loop. */
const BEHIND_BATCH = 16;

/** Default cap on pulls in flight in open loop: memory stays bounded if the target stalls. */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;

export function validateSchedule(opts: ScheduleOptions): void {
  if (opts.durationMs === null && opts.maxRequests === null) {
    throw new UsageError('a load run needs a bound: give --duration or --max-requests (or both)');
  }
  if (opts.mode.kind === 'closed' && !(Number.isInteger(opts.mode.concurrency) && opts.mode.concurrency >= 1)) {
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got ${opts.mode.concurrency}`);
  }
  if (opts.mode.kind === 'open' && !(opts.mode.ratePerSec > 0 && Number.isFinite(opts.mode.ratePerSec))) {
    throw new UsageError(`--rate must be a number of pulls per second > 0, got ${opts.mode.ratePerSec}`);
  }
}

/**
 * Runs `task` per slot until a bound is reached. `task` must not throw (the runner records failures
 * as samples); a throw is re-raised after the run has drained.
 */
export async function runSchedule(opts: ScheduleOptions, task: (slot: Slot) => Promise<void>, clock: Clock): Promise<ScheduleResult> {
  validateSchedule(opts);
  const t0 = opts.origin ?? clock.now();
  const elapsed = (): number => clock.now() - t0;
  const max = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const dur = opts.durationMs ?? Number.POSITIVE_INFINITY;
  let seq = 0;
  let firstError: unknown = undefined;
  const guard = (p: Promise<void>): Promise<void> =>
    p.catch((err: unknown) => {
      firstError ??= err;
    });

  if (opts.mode.kind === 'closed') {
    const worker = async (): Promise<void> => {
      while (seq < max && !opts.signal?.aborted && elapsed() < dur && firstError === undefined) {
        const now = elapsed();
        await guard(task({ seq: seq++, intendedMs: now, startMs: now }));
      }
    };
    await Promise.all(Array.from({ length: opts.mode.concurrency }, worker));
  } else {
    const interval = 1000 / opts.mode.ratePerSec;
    const first = opts.mode.slots?.first ?? 0;
    const every = opts.mode.slots?.every ?? 1;
    const cap = opts.mode.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const inFlight = new Set<Promise<void>>();
    while (seq < max && !opts.signal?.aborted && firstError === undefined) {
      // The slot number times the interval (not a shard's own interval): the same float the single run computes.
      const intended = (first + seq * every) * interval;
      if (intended >= dur) break;
      const wait = intended - elapsed();
      // Behind schedule, yield to the event loop every BEHIND_BATCH starts, so the pulls already started get
      // their I/O before more are added. The generator then starts pulls as fast as it can serve them, the
      // rest start late and count from their scheduled time (the report's late starts), instead of thousands
      // of started pulls starving each other of CPU, inflating their service times and holding their TLS
      // handshakes' memory at once (10,000 at --rate 10000: 396 MB peak with 256 per yield, 244 MB with 16).
      if (wait > 0 || seq % BEHIND_BATCH === BEHIND_BATCH - 1) {
        try {
          await clock.sleep(wait, opts.signal);
        } catch {
          break; // aborted
        }
      }
      // At the cap, wait for a slot; the pull still counts from its intended time.
      while (inFlight.size >= cap) await Promise.race(inFlight);
      const slot = { seq: seq++, intendedMs: intended, startMs: elapsed() };
      const p: Promise<void> = guard(task(slot)).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  if (firstError !== undefined) throw firstError;
  return { started: seq, elapsedMs: elapsed() };
}
