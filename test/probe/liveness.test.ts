import { describe, expect, it } from 'vitest';
import { liveness, readiness, stallAfterMs } from '../../src/probe/liveness.ts';

describe('probe liveness and readiness', () => {
  it('allows three intervals, or an interval plus three deadlines, without a finished pass', () => {
    expect(stallAfterMs(10_000, 10_000)).toBe(40_000);
    expect(stallAfterMs(60_000, 5_000)).toBe(180_000);
  });

  it('is live while passes end in time, counting from the start before the first', () => {
    expect(liveness({ startedMs: 0, lastPassEndMs: null, passes: 0 }, 39_000, 40_000)).toMatchObject({ ok: true, reason: 'first pass running' });
    expect(liveness({ startedMs: 0, lastPassEndMs: null, passes: 0 }, 41_000, 40_000)).toMatchObject({ ok: false });
    expect(liveness({ startedMs: 0, lastPassEndMs: 100_000, passes: 9 }, 120_000, 40_000)).toEqual({ ok: true, reason: 'last pass ended 20 s ago' });
    expect(liveness({ startedMs: 0, lastPassEndMs: 100_000, passes: 9 }, 150_000, 40_000)).toEqual({ ok: false, reason: 'no pass ended for 50 s (limit 40 s): the probe loop is stuck' });
  });

  it('is ready once the first pass is done', () => {
    expect(readiness({ startedMs: 0, lastPassEndMs: null, passes: 0 }).ok).toBe(false);
    expect(readiness({ startedMs: 0, lastPassEndMs: 5, passes: 1 })).toEqual({ ok: true, reason: '1 passes done' });
  });
});
