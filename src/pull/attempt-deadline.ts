/**
 * An attempt's deadline: one AbortSignal that fires after `timeoutMs` (reason: a `TimeoutError`, as
 * `AbortSignal.timeout` gives) or when the caller's signal aborts (its reason), whichever comes first,
 * and that is released the moment the attempt ends.
 *
 * Why not `AbortSignal.any([AbortSignal.timeout(ms), signal])`: on Node 20 the timeout's timer and the
 * composite's registration on the caller's signal outlive the attempt until GC or the timer fires (an attempt
 * that took 5 ms keeps a 60 s timer), and each costs a WeakRef and a finalizer; thousands of pulls in flight
 * paid for that. Here the timer is cleared in `dispose()`.
 *
 * Nor one 'abort' listener per attempt on the caller's signal: a load run's one signal would carry thousands,
 * and Node's EventTarget removes a listener by walking its list. Each caller's signal gets one listener and a
 * Set of the attempts in flight under it (O(1) to join and leave). No closure is created per attempt.
 */
import { abortWatched, watchableController } from '../registry/abort-watch.ts';

const inFlight = new WeakMap<AbortSignal, Set<AttemptDeadline>>();

export class AttemptDeadline {
  // Watchable: the attempt's requests watch this signal without an EventTarget listener each (abort-watch.ts).
  readonly #controller = watchableController();
  readonly #outer: AbortSignal | undefined;
  #timer: ReturnType<typeof setTimeout> | null;
  #timedOut = false;

  constructor(timeoutMs: number, outer?: AbortSignal) {
    this.#outer = outer;
    if (outer?.aborted) {
      this.#timer = null;
      abortWatched(this.#controller, outer.reason);
      return;
    }
    this.#timer = setTimeout(fire, timeoutMs, this);
    if (outer) {
      let set = inFlight.get(outer);
      if (!set) {
        set = new Set();
        inFlight.set(outer, set);
        outer.addEventListener('abort', abortAll, { once: true });
      }
      set.add(this);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the attempt's own timeout fired (not the caller's signal). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** @internal the caller's signal aborted. */
  cancel(reason: unknown): void {
    this.dispose();
    abortWatched(this.#controller, reason);
  }

  /** @internal the timer fired. */
  expire(): void {
    this.#timer = null;
    this.#timedOut = true;
    this.dispose();
    abortWatched(this.#controller, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  /** Releases the timer and leaves the caller's signal. Idempotent. */
  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#outer) inFlight.get(this.#outer)?.delete(this);
  }
}

function fire(d: AttemptDeadline): void {
  d.expire();
}

function abortAll(this: AbortSignal): void {
  const set = inFlight.get(this);
  inFlight.delete(this);
  if (set) for (const d of [...set]) d.cancel(this.reason);
}
