/**
 * Rolling health, as a pure function of the recent probes of one endpoint:
 *  - down: the latest probe failed at the `/v2/` ping: the endpoint cannot serve a pull at all
 *    (refused, timeout, TLS, not a registry, 5xx on the ping).
 *  - degraded: the endpoint answers but is not fully serving: the latest probe failed a later step
 *    (canary manifest unknown, digest mismatch, Range failure), or some recent probes failed, or
 *    it is slow (p90 of recent probes over the slow threshold).
 *  - up: the latest probe passed every step, none in the window failed, and it is not slow.
 * Every state carries the reason in words so the table and the TUI never re-derive it.
 */
import type { HealthState, ProbeOutcome } from './probe-types.ts';

export interface HealthOptions {
  /** How many recent probes count (the rolling window). */
  window: number;
  /** A probe slower than this (total ms) counts as slow; degraded when the window's p90 is slow. */
  slowMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = { window: 10, slowMs: 1000 };

export interface Health {
  state: HealthState;
  reason: string;
}

const total = (p: ProbeOutcome): number => p.steps.reduce((a, s) => a + s.durationMs, 0);

/** `recent` is oldest first; only the last `opts.window` entries are considered. */
export function healthOf(recent: readonly ProbeOutcome[], opts: HealthOptions = DEFAULT_HEALTH): Health {
  const win = recent.slice(-opts.window);
  const last = win.at(-1);
  if (!last) return { state: 'unknown', reason: 'not probed yet' };
  const failedStep = last.steps.find((s) => !s.ok);
  if (failedStep?.step === 'ping') {
    return { state: 'down', reason: `ping failed: ${failedStep.errorClass ?? 'error'}${failedStep.httpStatus ? ` (HTTP ${failedStep.httpStatus})` : ''}` };
  }
  if (failedStep) {
    return { state: 'degraded', reason: `${failedStep.step} failed: ${failedStep.errorClass ?? 'error'}${failedStep.httpStatus ? ` (HTTP ${failedStep.httpStatus})` : ''}` };
  }
  const failures = win.filter((p) => !p.ok).length;
  if (failures > 0) return { state: 'degraded', reason: `${failures} of the last ${win.length} probes failed` };
  const times = win.map(total).sort((a, b) => a - b);
  const p90 = times[Math.min(times.length - 1, Math.ceil(0.9 * times.length) - 1)]!;
  if (p90 > opts.slowMs) return { state: 'degraded', reason: `slow: p90 ${Math.round(p90)} ms over ${opts.slowMs} ms` };
  return { state: 'up', reason: 'all steps passed' };
}
