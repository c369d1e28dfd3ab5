/**
 * JSON Lines view of the pull event stream (`pullpath pull --output json`, schemas/pull.schema.json): one
 * record per event, named as in `src/events/pull-events.ts` except for the shared vocabulary: `at` is written
 * `atMs` (as probe writes it), and a failed result carries `whatToDo` (what-to-do.ts, the words resolve
 * and verify use). `attempt-start` events are live-view noise and are left out unless asked for.
 */
import type { AttemptEvent, ImageStartEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import { pullFixes } from './what-to-do.ts';
import { createImageBlockWriter, type ImageBlockWriter } from './image-blocks.ts';

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
export function createPullJsonWriter(write: (text: string) => void, order: readonly string[]): ImageBlockWriter {
  return createImageBlockWriter(
    write,
    (events) => {
      const start = events.find((e): e is ImageStartEvent => e.type === 'image');
      const attempts = events.filter((e): e is AttemptEvent => e.type === 'attempt');
      return events
        .filter((e) => includeInJsonLines(e))
        .map((e) => JSON.stringify(e.type === 'result' ? resultJson(e, start, attempts) : pullEventJson(e)) + '\n')
        .join('');
    },
    order,
  );
}
