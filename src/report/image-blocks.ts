/**
 * Groups a live pull event stream per image and writes each image's block once its result is in: in input order
 * when `order` (the image labels as `imageLabels` gives them) is known, as they finish otherwise. The text and the
 * JSON Lines views of `pull` share it; each renders a block its own way.
 */
import type { PullEvent, ResultEvent } from '../events/pull-events.ts';
import { createInputOrderWriter } from './input-order.ts';

export interface ImageBlockWriter {
  push(e: PullEvent): void;
  /** Writes what is held back, then the images cut short (Ctrl-C, a closed pipe) in input order; returns the results. */
  end(): ResultEvent[];
}

/** `render(events, interrupted)`: one image's block; `interrupted` when its result never came. */
export function createImageBlockWriter(
  write: (block: string) => void,
  render: (events: readonly PullEvent[], interrupted: boolean) => string,
  order?: readonly string[],
): ImageBlockWriter {
  const pending = new Map<string, PullEvent[]>();
  const results: ResultEvent[] = [];
  // An empty block stands for an image that never started: it keeps the order without printing anything.
  const ordered = createInputOrderWriter<string>((block) => {
    if (block !== '') write(block);
  });
  const position = new Map((order ?? []).map((label, i) => [label, i]));
  const released = new Set<number>();
  return {
    push(e) {
      const list = pending.get(e.image) ?? [];
      list.push(e);
      pending.set(e.image, list);
      if (e.type !== 'result') return;
      results.push(e);
      pending.delete(e.image);
      const i = position.get(e.image);
      if (i === undefined) write(render(list, false));
      else {
        released.add(i);
        ordered.push(i, render(list, false));
      }
    },
    end() {
      // Images cut short take their place in input order, after the finished ones before them.
      (order ?? []).forEach((label, i) => {
        if (released.has(i)) return;
        const list = pending.get(label);
        pending.delete(label);
        ordered.push(i, list ? render(list, true) : '');
      });
      for (const list of pending.values()) write(render(list, true));
      pending.clear();
      return results;
    },
  };
}
