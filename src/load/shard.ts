/**
 * `load --shard I/N`: how one load run is cut into N processes (pods) that together do exactly what one
 * process would. The unit that is dealt out is the *request slot*: the single run's g-th pull (g = 0, 1, 2, …)
 * goes to shard g mod N. Everything else follows from that one rule:
 *
 * - rate: shard I takes slots I, I+N, I+2N, … of the single run's schedule, each at the slot's own time
 *   g/R. Each shard runs at R/N, offset by I/R, so the N schedules interleave into exactly the single one
 *   (not N bursts at the same instants, which would be another load);
 * - images: slot g pulls image g mod M, as the single run does. Shard I thus pulls the images j with
 *   j ≡ I (mod gcd(M, N)): when N divides M this is "image i where i mod N = I", and the union of the shards'
 *   pulls is the single run's pulls, image for image, even when N does not divide M or N > M (a strict split
 *   of the list would change each image's share whenever N does not divide M, and leave shards empty when
 *   N > M: one image driven by 16 pods is a normal load test);
 * - --max-requests Q: shard I gets the slots g < Q with g ≡ I (mod N), ⌈(Q − I)/N⌉ of them;
 * - --concurrency C (closed loop, no schedule): ⌊C/N⌋ workers each, the remainder one each to the lowest
 *   indexes. N > C would leave a shard without a worker: a usage error, as is Q < N.
 *
 * 0-based, as Kubernetes numbers an Indexed Job's pods (JOB_COMPLETION_INDEX).
 */
import { UsageError } from '../errors.ts';

export interface ShardSpec {
  /** 0-based, as JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

/** The most shards a run may be cut into (a bound against typos such as 0/10000000). */
export const MAX_SHARDS = 10_000;

/** `I/N` with 0 ≤ I < N. Errors say what was expected and how Kubernetes provides the index. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) {
    const hint = text.includes('JOB_COMPLETION_INDEX')
      ? ': JOB_COMPLETION_INDEX was not set; run the pod from a Job with completionMode: Indexed, and write $(JOB_COMPLETION_INDEX) in args (Kubernetes expands it) or "$JOB_COMPLETION_INDEX" in a shell'
      : '';
    throw new UsageError(`--shard: expected I/N, the 0-based shard index and the shard count (e.g. 0/4 … 3/4), got "${text}"${hint}`);
  }
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`--shard ${text}: the shard count must be 1 to ${MAX_SHARDS}, got ${count}`);
  if (index >= count) {
    throw new UsageError(`--shard ${text}: the index is 0-based (0 to ${count - 1}), as Kubernetes' JOB_COMPLETION_INDEX; got ${index}${index === count ? ` (did you count from 1? use ${index - 1}/${count})` : ''}`);
  }
  return { index, count };
}

/** Closed loop: this shard's workers. Throws when N > C (a shard would have none). */
export function shardConcurrency(total: number, s: ShardSpec): number {
  if (total < s.count) throw new UsageError(`--concurrency ${total} cannot be split over ${s.count} shards (each needs at least one worker): give --concurrency ≥ ${s.count}, or fewer shards`);
  return Math.floor(total / s.count) + (s.index < total % s.count ? 1 : 0);
}

/** This shard's share of --max-requests: the slots g < total with g ≡ index (mod count). Throws when a shard would get none. */
export function shardMaxRequests(total: number, s: ShardSpec): number {
  if (total < s.count) throw new UsageError(`--max-requests ${total} cannot be split over ${s.count} shards (each needs at least one pull): give --max-requests ≥ ${s.count}, or fewer shards`);
  return Math.ceil((total - s.index) / s.count);
}

/** The single run's slot number of this shard's `seq`-th pull. */
export function globalSlot(s: ShardSpec, seq: number): number {
  return s.index + seq * s.count;
}

/** Which image (index into the list) this shard's `seq`-th pull takes: the single run's choice for that slot. */
export function shardImageIndex(s: ShardSpec, seq: number, images: number): number {
  return globalSlot(s, seq) % images;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The images this shard pulls (indexes into the list, ascending): j ≡ index (mod gcd(images, count)). */
export function shardImages(s: ShardSpec, images: number): number[] {
  const g = gcd(images, s.count);
  const out: number[] = [];
  for (let j = s.index % g; j < images; j += g) out.push(j);
  return out;
}
