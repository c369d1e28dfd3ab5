/**
 * Many images at once: at most `jobs` in flight (p-limit), all events on one AsyncIterable. Events of
 * different images interleave; each carries its `image`, and text views group them (report/pull-text.ts).
 */
import { AttemptDeadline } from './attempt-deadline.ts';
import pLimit from 'p-limit';
import type { Resolution } from '../resolve/resolution.ts';
import type { PullEvent } from '../events/pull-events.ts';
import { EventChannel } from './event-channel.ts';
import { pullOne } from './pull-one.ts';
import type { PullOptions } from './options.ts';

export interface PullImagesOptions extends Omit<PullOptions, 'image'> {
  /** Images in flight at once (`--jobs`). Default 4. */
  jobs?: number;
  /** Overall deadline for the whole run, ms. Remaining attempts then fail at once with `context deadline exceeded`. */
  overallTimeoutMs?: number;
}

/** Unique labels: a reference given twice becomes `REF` and `REF #2`. */
export function imageLabels(resolutions: readonly Resolution[]): string[] {
  const seen = new Map<string, number>();
  return resolutions.map((r) => {
    const n = (seen.get(r.ref) ?? 0) + 1;
    seen.set(r.ref, n);
    return n === 1 ? r.ref : `${r.ref} #${n}`;
  });
}

/**
 * Pulls every resolution; iterate the result to receive the events. Cancelling `signal` (the TUI's `q`)
 * aborts requests in flight; the remaining attempts then fail at once with `context canceled`.
 *
 * @example
 * for await (const e of pullImages(resolutions, { client, jobs: 8 }, controller.signal)) {
 *   if (e.type === 'result') console.log(e.image, e.ok);
 * }
 */
export function pullImages(resolutions: readonly Resolution[], options: PullImagesOptions, signal?: AbortSignal): AsyncIterable<PullEvent> {
  const channel = new EventChannel<PullEvent>();
  const startedAt = options.startedAt ?? performance.now();
  // The overall deadline is held here until the run ends: AbortSignal.any([AbortSignal.timeout(ms), signal]) on
  // Node 20 holds the timeout signal only weakly, and a GC could make it never fire.
  const overall = options.overallTimeoutMs !== undefined ? new AttemptDeadline(options.overallTimeoutMs, signal) : null;
  const runSignal = overall ? overall.signal : signal;
  const limit = pLimit(Math.max(1, options.jobs ?? 4));
  const names = imageLabels(resolutions);
  const work = resolutions.map((r, i) => limit(() => pullOne(r, Object.assign({}, options, { startedAt, image: names[i]! }), (e) => channel.push(e), runSignal)));
  Promise.all(work).then(
    () => {
      overall?.dispose();
      channel.close();
    },
    (err) => {
      overall?.dispose();
      channel.close(err);
    },
  );
  return channel;
}
