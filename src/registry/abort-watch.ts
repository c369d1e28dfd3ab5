/**
 * 'abort' subscriptions for the pull path's per-request listeners, without an EventTarget listener each.
 *
 * Every request of an attempt listens to the attempt's signal twice (its Exchange, to answer at once, and the
 * ClientPool, to end a dial in progress), and every attempt once more (its credential lookup). Node's
 * `addEventListener`/`removeEventListener` on an AbortSignal build and unlink a listener record each time: about
 * 4 % of a 1,000-image `pull --images` process (bench/batch.ts), run mostly as cold code.
 *
 * A controller made by `watchableController()` (the attempt deadline's) keeps its watchers in a Set instead.
 * `abortWatched()` aborts it as usual (so `aborted`, `reason` and any EventTarget listener work as before) and
 * then calls its watchers once, in the order they started watching. Any other signal (a run's, a probe's, a
 * caller's own) falls back to `addEventListener(…, { once: true })`: same calls, same order.
 */
export interface AbortWatcher {
  /** Called once when the signal aborts, after its `reason` is set. */
  handleEvent(): void;
}

const watched = new WeakMap<AbortSignal, Set<AbortWatcher>>();

/** An AbortController whose signal takes watchers without EventTarget listeners. Abort it with `abortWatched`. */
export function watchableController(): AbortController {
  const c = new AbortController();
  watched.set(c.signal, new Set());
  return c;
}

/**
 * Aborts `c` with `reason`, then tells its watchers, each once, in the order they started watching. As with
 * EventTarget: a watcher removed by an earlier one is skipped, and none is added once the signal has aborted.
 */
export function abortWatched(c: AbortController, reason: unknown): void {
  const set = watched.get(c.signal);
  c.abort(reason);
  if (!set) return;
  for (const w of set) {
    set.delete(w);
    try {
      w.handleEvent();
    } catch (err) {
      process.nextTick(rethrow, err); // as EventTarget reports a listener's exception: uncaught, the others still run
    }
  }
  watched.delete(c.signal);
}

/** Calls `w.handleEvent()` once when `signal` aborts (never, if it already has: check `aborted` first). */
export function watchAbort(signal: AbortSignal, w: AbortWatcher): void {
  const set = watched.get(signal);
  if (!set) signal.addEventListener('abort', w, { once: true });
  else if (!signal.aborted) set.add(w);
}

/** Stops watching. Safe to call twice, or after the signal aborted. */
export function unwatchAbort(signal: AbortSignal, w: AbortWatcher): void {
  const set = watched.get(signal);
  if (set) set.delete(w);
  else signal.removeEventListener('abort', w);
}

function rethrow(err: unknown): never {
  throw err;
}
