/**
 * A virtual clock for scheduler tests: time only moves when every runnable promise has settled and
 * a sleeper is waiting, then jumps to the earliest wake-up. Runs are exact and take no real time.
 */
import type { Clock } from '../../src/load/clock.ts';

export class VirtualClock implements Clock {
  #now = 0;
  #timers: { at: number; seq: number; resolve: () => void }[] = [];
  #seq = 0;
  #pending = false;

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.#timers.push({ at: this.#now + Math.max(0, ms), seq: this.#seq++, resolve });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#pending) return;
    this.#pending = true;
    // setImmediate runs after the microtask queue drains: everything runnable has run.
    setImmediate(() => {
      this.#pending = false;
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const t = this.#timers.shift()!;
      this.#now = Math.max(this.#now, t.at);
      t.resolve();
      this.#kick();
    });
  }
}
