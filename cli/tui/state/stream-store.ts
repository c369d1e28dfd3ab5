/**
 * Consumes an async stream eagerly and folds it into state in batches, at most once every
 * `flushMs`. The consuming loop only appends to a buffer, so the engine never waits for the
 * reducer or the terminal; React reads the committed state through `subscribe`/`getSnapshot`
 * (the `useSyncExternalStore` contract). No React or Ink here.
 */

export interface StreamStore<S> {
  getSnapshot(): S;
  subscribe(listener: () => void): () => void;
  /** Resolves when the stream has ended (or failed, or `stop` was called) and the last batch is committed. */
  readonly done: Promise<void>;
  isDone(): boolean;
  /** What the stream threw, if it did. */
  error(): unknown;
  /** Events received so far (committed or buffered). */
  received(): number;
  /** Wall time (performance.now()) when the first item arrived, or null. */
  firstItemAt(): number | null;
  /** Commits buffered items now. */
  flush(): void;
  /** Stops consuming: the loop leaves at the next item and the iterator is closed. */
  stop(): void;
}

export interface StreamStoreOptions {
  /** Minimum time between commits (ms). 0 commits on every item. */
  flushMs?: number;
  /**
   * While this returns true (the terminal has not caught up with the last frames), scheduled commits wait and
   * items keep accumulating in the buffer: a slow terminal delays frames, never the engine.
   */
  holdWhile?: () => boolean;
}

export function createStreamStore<E, S>(
  source: AsyncIterable<E>,
  reduce: (state: S, batch: readonly E[]) => S,
  initial: S,
  options: StreamStoreOptions = {},
): StreamStore<S> {
  const flushMs = options.flushMs ?? 80;
  const holdWhile = options.holdWhile ?? (() => false);
  let state = initial;
  let buffer: E[] = [];
  let count = 0;
  let first: number | null = null;
  let finished = false;
  let stopped = false;
  let failure: unknown = undefined;
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  const listeners = new Set<() => void>();

  const flush = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    lastFlush = performance.now();
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    state = reduce(state, batch);
    for (const l of listeners) l();
  };
  const schedule = (): void => {
    if (timer !== null) return;
    const wait = Math.max(0, flushMs - (performance.now() - lastFlush));
    timer = setTimeout(scheduledFlush, wait);
  };
  // A timer-driven commit; explicit `flush()` calls (end of stream, quit) always commit.
  const scheduledFlush = (): void => {
    timer = null;
    if (holdWhile()) {
      timer = setTimeout(scheduledFlush, Math.max(flushMs, 10));
      return;
    }
    flush();
  };

  const iterator = source[Symbol.asyncIterator]();
  const done = (async () => {
    try {
      while (!stopped) {
        const next = await iterator.next();
        if (next.done) break;
        if (first === null) first = performance.now();
        count += 1;
        buffer.push(next.value);
        if (flushMs <= 0) flush();
        else schedule();
      }
    } catch (err) {
      failure = err;
    } finally {
      finished = true;
      flush();
      for (const l of listeners) l();
    }
  })();

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    done,
    isDone: () => finished,
    error: () => failure,
    received: () => count,
    firstItemAt: () => first,
    flush,
    stop() {
      if (stopped) return;
      stopped = true;
      // Closing the iterator lets a generator engine run its finally blocks; it may be mid-await, so do not wait here.
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    },
  };
}

/** A single observable value (phase, expectations) for components to subscribe to. */
export interface ValueStore<T> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
  set(value: T): void;
}

export function createValueStore<T>(initial: T): ValueStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => value,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const l of listeners) l();
    },
  };
}
