/**
 * A push-based queue exposed as an AsyncIterable: the engine pushes events, any number of views pull them.
 * Unbounded on purpose: events are small and a view that stops reading should not stall network work.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private failure: unknown = undefined;
  private failWaiting: ((e: unknown) => void) | null = null;

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      this.failWaiting = null;
      w({ value, done: false });
    } else this.buffer.push(value);
  }

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error;
    if (this.waiting) {
      const w = this.waiting;
      const f = this.failWaiting;
      this.waiting = null;
      this.failWaiting = null;
      if (error !== undefined && f) f(error);
      else w({ value: undefined as never, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
        if (this.closed) {
          if (this.failure !== undefined) {
            const e = this.failure;
            this.failure = undefined;
            return Promise.reject(e);
          }
          return Promise.resolve({ value: undefined as never, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
    };
  }
}
