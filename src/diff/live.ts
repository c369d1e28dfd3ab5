/**
 * `diff --live`: each changed image pulled (manifest only) through BEFORE and through AFTER, against real or
 * mock registries, to say where a pull that works today would fail after the change. Uses the pull engine
 * (pullOne) per side; the engine is injectable for tests. Images are pulled one at a time: a diff changes
 * tens of images, not thousands.
 */
import type { ErrorClass } from '../registry/error-class.ts';
import { judgeResolution } from '../policy/judge-resolution.ts';
import { pullOne } from '../pull/pull-one.ts';
import type { PullOptions } from '../pull/options.ts';
import { compileConfig, resolveArg } from '../resolve/index.ts';
import type { PullOneFn } from '../verify/run-verify.ts';
import type { DiffSide } from './run-diff.ts';
import type { Resolution } from '../resolve/resolution.ts';
import type { ImageChange } from './types.ts';

export interface LivePull {
  ok: boolean;
  /** The physical reference that served the manifest, or null. */
  source: string | null;
  error: string | null;
  errorClass: ErrorClass | null;
}

export interface LiveResult {
  image: string;
  before: LivePull;
  after: LivePull;
  /** Works through BEFORE, fails through AFTER: what the change would break. */
  regression: boolean;
}

export interface LiveOptions {
  pull: Omit<PullOptions, 'image' | 'policy'>;
  pullOne?: PullOneFn;
  signal?: AbortSignal;
}

export async function liveCheck(changes: readonly ImageChange[], sides: { before: DiffSide; after: DiffSide }, opts: LiveOptions): Promise<LiveResult[]> {
  const run = opts.pullOne ?? pullOne;
  const both = sides.before.policy !== null && sides.after.policy !== null;
  // Each side resolves as it does in the offline diff: its own resolver (a hosts.toml side), else registries.conf.
  const resolverOf = (side: DiffSide): ((image: string) => Resolution) => {
    if (side.resolve) return side.resolve;
    const compiled = compileConfig(side.config);
    return (image) => resolveArg(compiled, image);
  };
  const resolvers = { before: resolverOf(sides.before), after: resolverOf(sides.after) };
  const pullThrough = async (which: 'before' | 'after', image: string): Promise<LivePull> => {
    const side = sides[which];
    let r = resolvers[which](image);
    if (both) r = judgeResolution(side.policy!, r);
    const res = await run(r, { ...opts.pull, image, policy: both ? side.policy : null }, () => {}, opts.signal);
    return { ok: res.ok, source: res.source, error: res.error, errorClass: res.errorClass };
  };
  const out: LiveResult[] = [];
  for (const c of changes) {
    if (opts.signal?.aborted === true) break;
    const before = await pullThrough('before', c.image);
    const after = await pullThrough('after', c.image);
    out.push({ image: c.image, before, after, regression: before.ok && !after.ok });
  }
  return out;
}
