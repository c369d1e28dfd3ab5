/**
 * The registries' clock: fault timelines and token lifetimes are measured on it. A real clock runs from
 * start; a manual clock only moves when a test advances it, so timeline tests take no wall time.
 */

export interface MockClock {
  /** Milliseconds since the clock started. */
  nowMs(): number;
  /** Run `fn` once the clock reaches `atMs` (immediately if already past). Returns a cancel function. */
  at(atMs: number, fn: () => void): () => void;
}

/** A clock driven by wall time (`performance.now()`), timers unref'd so they never keep the process alive. */
export function createRealClock(): MockClock {
  const start = performance.now();
  const nowMs = () => performance.now() - start;
  return {
    nowMs,
    at(atMs, fn) {
      if (!Number.isFinite(atMs)) return () => {};
      const t = setTimeout(fn, Math.max(0, atMs - nowMs()));
      t.unref();
      return () => clearTimeout(t);
    },
  };
}

export interface ManualClock extends MockClock {
  /** Move the clock forward, running every task that falls due, in time order. */
  advance(ms: number): void;
  /** Move the clock to an absolute time (never backwards). */
  set(ms: number): void;
}

/** A clock for tests: time stands still until `advance`/`set`. */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let tasks: Array<{ atMs: number; fn: () => void }> = [];
  const set = (ms: number) => {
    if (ms < now) return;
    for (;;) {
      const due = tasks.filter((t) => t.atMs <= ms).sort((a, b) => a.atMs - b.atMs)[0];
      if (due === undefined) break;
      tasks = tasks.filter((t) => t !== due);
      now = Math.max(now, due.atMs);
      due.fn();
    }
    now = ms;
  };
  return {
    nowMs: () => now,
    at(atMs, fn) {
      if (!Number.isFinite(atMs)) return () => {};
      if (atMs <= now) {
        queueMicrotask(fn);
        return () => {};
      }
      const task = { atMs, fn };
      tasks.push(task);
      return () => {
        tasks = tasks.filter((t) => t !== task);
      };
    },
    advance: (ms) => set(now + ms),
    set,
  };
}
