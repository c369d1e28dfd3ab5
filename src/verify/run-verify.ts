/**
 * Verify many images: resolve each (the resolver), plan which sources it may use (`planVerify`), run
 * the pull engine on those sources only, and classify. At most `jobs` images in flight; verdicts are
 * yielded as they finish, so thousands of images stream with bounded memory and visible progress.
 */
import pLimit from 'p-limit';
import type { CompiledConfig } from '../resolve/compile.ts';
import { resolveArg } from '../resolve/resolve.ts';
import type { Resolution } from '../resolve/resolution.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import { EventChannel } from '../pull/event-channel.ts';
import { pullOne } from '../pull/pull-one.ts';
import type { PullOptions } from '../pull/options.ts';
import { classifyVerify, planVerify } from './classify.ts';
import type { VerifyVerdict } from './verdict.ts';

/** The pull engine's one-image entry (D's `pullOne`); injectable for tests. */
export type PullOneFn = (resolution: Resolution, options: PullOptions, emit: (e: PullEvent) => void, signal?: AbortSignal) => Promise<ResultEvent>;

export interface VerifyRunOptions {
  compiled: CompiledConfig;
  /** Resolves an image instead of containers/image's rules over `compiled` (`--runtime containerd`). */
  resolve?: (image: string) => Resolution;
  images: string[];
  /** true: never contact the source; false: allow it; null: forbid it only where the matched entry is blocked. */
  noSource: boolean | null;
  checkBlobs: boolean;
  jobs: number;
  /** The engine's options (client, timeout, platform); `image` and `checkBlobs` are set per image. */
  pull: Omit<PullOptions, 'image' | 'checkBlobs'>;
  pullOne?: PullOneFn;
  signal?: AbortSignal;
}

export async function verifyImage(image: string, opts: Omit<VerifyRunOptions, 'images' | 'jobs'>): Promise<VerifyVerdict> {
  const resolution = opts.resolve ? opts.resolve(image) : resolveArg(opts.compiled, image);
  const plan = planVerify(image, resolution, opts.noSource);
  if (plan.verdict) return plan.verdict;
  const attempts: AttemptEvent[] = [];
  let result: ResultEvent | null = null;
  const run = opts.pullOne ?? pullOne;
  const emit = (ev: PullEvent): void => {
    if (ev.type === 'attempt') attempts.push(ev);
    else if (ev.type === 'result') result = ev;
  };
  result = await run(Object.assign({}, resolution, { sources: plan.sources }), Object.assign({}, opts.pull, { image, checkBlobs: opts.checkBlobs }), emit, opts.signal);
  return classifyVerify(image, resolution, plan, attempts, result);
}

/** A verdict and the input position of its image (reports list images in input order). */
export interface IndexedVerdict {
  index: number;
  verdict: VerifyVerdict;
}

/** Yields verdicts in completion order. An engine crash on one image becomes that image's failure, not the run's. */
export function runVerify(opts: VerifyRunOptions): AsyncIterable<VerifyVerdict> {
  return mapChannel(runVerifyIndexed(opts), (x) => x.verdict);
}

/** As `runVerify`, with each verdict's input position, so a report can restore input order. */
export function runVerifyIndexed(opts: VerifyRunOptions): AsyncIterable<IndexedVerdict> {
  const out = new EventChannel<IndexedVerdict>();
  const limit = pLimit(Math.max(1, opts.jobs));
  const all = opts.images.map((image, index) =>
    limit(async () => {
      try {
        out.push({ index, verdict: await verifyImage(image, opts) });
      } catch (err) {
        out.push({
          index,
          verdict: {
            type: 'verify', image, normalized: null, ok: false, reason: 'mirror-error', detail: `internal error while verifying: ${(err as Error)?.message ?? String(err)}`,
            mirror: null, endpoint: null, digest: null, byDigest: false, noSource: opts.noSource ?? false, attempts: [], durationMs: 0,
          },
        });
      }
    }),
  );
  void Promise.all(all).then(() => out.close());
  return out;
}

async function* mapChannel<A, B>(source: AsyncIterable<A>, fn: (a: A) => B): AsyncIterable<B> {
  for await (const a of source) yield fn(a);
}
