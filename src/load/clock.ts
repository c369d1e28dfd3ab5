/**
 * The scheduler's notion of time, injectable so the open/closed-loop logic is tested on a virtual
 * clock (exact, instant) and run on the real one. Milliseconds, monotonic, arbitrary origin.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  now(): number;
  /** Resolves after `ms` (≤ 0: on the next turn). Rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
