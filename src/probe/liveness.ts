/**
 * Liveness and readiness of a `probe --watch` process, as pure functions of when its passes ended.
 * Live: a pass ended (or the run started) less than `stallAfterMs` ago, where a pass may take a whole
 * probe deadline per endpoint batch beyond the interval: a loop that stopped passing is stuck, and the
 * kubelet's restart is the cure. A registry being down never makes the process unlive (a probe that
 * fails still ends). Ready: the first pass is done, so /metrics holds results.
 */
import type { Check } from './metrics-server.ts';

export interface PassClock {
  /** ms (monotonic) when the run started. */
  startedMs: number;
  /** ms (monotonic) when the latest pass ended, null before the first. */
  lastPassEndMs: number | null;
  /** Passes done. */
  passes: number;
}

/** How long without a finished pass means the loop is stuck: three intervals, or an interval plus three deadlines. */
export function stallAfterMs(intervalMs: number, timeoutMs: number): number {
  return Math.max(3 * intervalMs, intervalMs + 3 * timeoutMs);
}

export function liveness(clock: PassClock, nowMs: number, stallMs: number): Check {
  const since = nowMs - (clock.lastPassEndMs ?? clock.startedMs);
  if (since <= stallMs) return { ok: true, reason: clock.passes === 0 ? 'first pass running' : `last pass ended ${Math.round(since / 1000)} s ago` };
  return { ok: false, reason: `no pass ended for ${Math.round(since / 1000)} s (limit ${Math.round(stallMs / 1000)} s): the probe loop is stuck` };
}

export function readiness(clock: PassClock): Check {
  return clock.passes > 0 ? { ok: true, reason: `${clock.passes} passes done` } : { ok: false, reason: 'first pass not done yet: /metrics holds no results' };
}
