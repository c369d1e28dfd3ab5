/**
 * Reports list images in input order, whatever order the work finishes in (`--jobs N`): an item is written
 * as soon as every item before it has been written, so output still streams, and a slow first image holds
 * back only the lines after it. Progress (stderr, the TUI) is not routed through here and stays live.
 */
export interface InputOrderWriter<T> {
  /** The item at input position `index` is done. */
  push(index: number, item: T): void;
  /** Writes what is still held back (in order, skipping holes): for a run cut short. */
  flush(): void;
}

export function createInputOrderWriter<T>(write: (item: T) => void): InputOrderWriter<T> {
  const held = new Map<number, T>();
  let next = 0;
  return {
    push(index, item) {
      held.set(index, item);
      while (held.has(next)) {
        const v = held.get(next)!;
        held.delete(next);
        next++;
        write(v);
      }
    },
    flush() {
      for (const i of [...held.keys()].sort((a, b) => a - b)) write(held.get(i)!);
      held.clear();
    },
  };
}
