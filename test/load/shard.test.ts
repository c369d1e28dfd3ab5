import { describe, expect, it } from 'vitest';
import { parseShard, shardConcurrency, shardImageIndex, shardImages, shardMaxRequests } from '../../src/load/shard.ts';

describe('--shard I/N', () => {
  it('parses 0-based I/N, as JOB_COMPLETION_INDEX', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
  });

  it('errors say what was expected, and guess the slip', () => {
    expect(() => parseShard('4/4')).toThrow('--shard 4/4: the index is 0-based (0 to 3), as Kubernetes\' JOB_COMPLETION_INDEX; got 4 (did you count from 1? use 3/4)');
    expect(() => parseShard('1/0')).toThrow('the shard count must be 1 to 10000, got 0');
    expect(() => parseShard('2')).toThrow('--shard: expected I/N, the 0-based shard index and the shard count (e.g. 0/4 … 3/4), got "2"');
    // Kubernetes leaves $(JOB_COMPLETION_INDEX) as written when the variable is not set (not an Indexed Job).
    expect(() => parseShard('$(JOB_COMPLETION_INDEX)/4')).toThrow(/JOB_COMPLETION_INDEX was not set; run the pod from a Job with completionMode: Indexed/);
  });

  it('splits --concurrency and --max-requests so the shards add up, remainders to the lowest indexes', () => {
    const split = (f: (t: number, s: { index: number; count: number }) => number, total: number, n: number) => Array.from({ length: n }, (_, index) => f(total, { index, count: n }));
    expect(split(shardConcurrency, 10, 4)).toEqual([3, 3, 2, 2]);
    expect(split(shardMaxRequests, 10, 4)).toEqual([3, 3, 2, 2]);
    expect(split(shardMaxRequests, 8, 8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => shardConcurrency(3, { index: 0, count: 4 })).toThrow('--concurrency 3 cannot be split over 4 shards (each needs at least one worker): give --concurrency ≥ 4, or fewer shards');
    expect(() => shardMaxRequests(3, { index: 3, count: 4 })).toThrow('--max-requests 3 cannot be split over 4 shards');
  });

  it('deals the single run\'s slots: the shards together pull each image as often as one process', () => {
    for (const [images, n] of [[6, 3], [3, 4], [1, 16], [5, 5], [7, 2]] as const) {
      const slots = 4 * 7 * 16;
      const single = Array.from({ length: slots }, (_, g) => g % images);
      const sharded: number[] = [];
      for (let index = 0; index < n; index++) {
        const s = { index, count: n };
        for (let k = 0; index + k * n < slots; k++) sharded[index + k * n] = shardImageIndex(s, k, images);
        // The images a shard pulls are exactly the ones it is said to pull.
        const used = [...new Set(Array.from({ length: shardMaxRequests(slots, s) }, (_, k) => shardImageIndex(s, k, images)))].sort((a, b) => a - b);
        expect(used).toEqual(shardImages(s, images));
      }
      expect(sharded).toEqual(single);
    }
    // N divides M: shard I pulls the images i with i mod N = I.
    expect(shardImages({ index: 1, count: 3 }, 7 - 1)).toEqual([1, 4]);
    // N > M: every shard still has an image (one image, 16 pods).
    expect(shardImages({ index: 9, count: 16 }, 1)).toEqual([0]);
  });
});
