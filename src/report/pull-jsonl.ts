/**
 * JSON Lines view of the pull event stream (`pullpath pull --output json`, schemas/pull.schema.json): one
 * record per event, named as in `src/events/pull-events.ts` except for the shared vocabulary: `at` is written
 * `atMs` (as probe writes it), and a failed result carries `whatToDo` (what-to-do.ts, the words resolve
 * and verify use). `attempt-start` events are live-view noise and are left out unless asked for.
 */
import type { AttemptEvent, ImageStartEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import { createInputOrderWriter } from './input-order.ts';
import { pullFixes } from './what-to-do.ts';

/** One event as its JSON record (`at` → `atMs`). */
export function pullEventJson(e: PullEvent, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { type, image, at, ...rest } = e;
  return { type, image, atMs: at, ...rest, ...extra };
}

export function pullEventToJsonLine(e: PullEvent): string {
  return JSON.stringify(pullEventJson(e)) + '\n';
}

export function includeInJsonLines(e: PullEvent, withStarts = false): boolean {
  return withStarts || e.type !== 'attempt-start';
}

/** The result record, with what to do when it failed. */
export function resultJson(result: ResultEvent, start: ImageStartEvent | undefined, attempts: readonly AttemptEvent[]): Record<string, unknown> {
  return pullEventJson(result, { whatToDo: pullFixes(start, attempts, result) });
}

/**
 * Groups the live stream per image and writes each image's records together once its result is in, in
 * input order (`order`: the image labels as `imageLabels` gives them). Returns the results seen.
 */
export function createPullJsonWriter(write: (text: string) => void, order: readonly string[]): { push(e: PullEvent): void; end(): ResultEvent[] } {
  const pending = new Map<string, PullEvent[]>();
  const results: ResultEvent[] = [];
  const render = (events: readonly PullEvent[]): string => {
    const start = events.find((e): e is ImageStartEvent => e.type === 'image');
    const attempts = events.filter((e): e is AttemptEvent => e.type === 'attempt');
    return events
      .filter((e) => includeInJsonLines(e))
      .map((e) => JSON.stringify(e.type === 'result' ? resultJson(e, start, attempts) : pullEventJson(e)) + '\n')
      .join('');
  };
  const ordered = createInputOrderWriter<string>(write);
  const position = new Map(order.map((label, i) => [label, i]));
  return {
    push(e) {
      const list = pending.get(e.image) ?? [];
      list.push(e);
      pending.set(e.image, list);
      if (e.type !== 'result') return;
      results.push(e);
      pending.delete(e.image);
      const i = position.get(e.image);
      if (i === undefined) write(render(list));
      else ordered.push(i, render(list));
    },
    end() {
      ordered.flush();
      // Images cut short (Ctrl-C, a closed pipe): what they did so far, in input order.
      for (const label of order) {
        const list = pending.get(label);
        if (list) write(render(list));
        pending.delete(label);
      }
      for (const list of pending.values()) write(render(list));
      pending.clear();
      return results;
    },
  };
}
