import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import type { AttemptEvent, ErrorClass, ResultEvent } from '../../src/events/pull-events.ts';

function attempt(index: number, location: string, outcome: AttemptEvent['outcome'], durationMs: number, errorClass: ErrorClass | null = null): AttemptEvent {
  return {
    type: 'attempt', image: 'img', index, at: 0, reference: `${location}/app:1`, location, mirror: index < 2, insecure: false,
    outcome, error: errorClass, errorClass, httpStatus: null, durationMs,
    steps: outcome === 'blocked' ? [] : [{ step: 'ping', ok: true, durationMs: durationMs / 2 }, { step: 'manifest', ok: outcome === 'ok', durationMs: durationMs / 2 }],
  };
}
function result(ok: boolean, sourceIndex: number | null, digest: string | null, errorClass: ErrorClass | null = null): ResultEvent {
  return { type: 'result', image: 'img', at: 0, ok, source: null, sourceIndex, digest, mediaType: null, error: ok ? null : 'x', errorClass, durationMs: 0 };
}

describe('LoadRecorder', () => {
  it('a pull the run stopped (Ctrl-C) is counted as cancelled, outside failures, latency and failing windows', () => {
    const r = new LoadRecorder({ mode: 'closed' });
    r.started();
    r.finished({ intendedMs: 0, startMs: 0, endMs: 5, attempts: [attempt(0, 'm1', 'ok', 5)], result: result(true, 0, 'sha256:a') });
    r.started();
    // The primary refused (a real answer), then the run stopped the mirror's attempt after 30 s.
    r.finished({ intendedMs: 5, startMs: 5, endMs: 30_005, attempts: [attempt(0, 'm1', 'failed', 2, 'refused'), attempt(1, 'm2', 'failed', 30_000, 'cancelled')], result: result(false, null, null, 'cancelled') });
    const s = r.summary(30_010);
    expect(s.cancelled).toBe(1);
    expect(s.requests).toBe(1);
    expect(s.inFlight).toBe(0);
    expect(s.failures).toEqual({});
    expect(s.successRate).toBe(1);
    expect(s.latency.maxMs).toBeLessThan(10);
    const m2 = s.perEndpoint.find((e) => e.endpoint === 'm2');
    expect(m2).toBeUndefined();
    expect(s.perEndpoint.find((e) => e.endpoint === 'm1')).toMatchObject({ attempts: 2, failed: 1, errors: { refused: 1 } });
  });

  it('adds up: requests = successes + failures by class', () => {
    const r = new LoadRecorder({ mode: 'closed' });
    const cases: [AttemptEvent[], ResultEvent | null][] = [
      [[attempt(0, 'm1', 'ok', 4)], result(true, 0, 'sha256:a')],
      [[attempt(0, 'm1', 'failed', 2, 'refused'), attempt(1, 'm2', 'ok', 6)], result(true, 1, 'sha256:a')],
      [[attempt(0, 'm1', 'failed', 2, 'refused'), attempt(1, 'm2', 'failed', 3, 'not-found'), attempt(2, 'src', 'failed', 5, 'server-error')], result(false, null, null, 'server-error')],
      [[attempt(0, 'm1', 'failed', 1000, 'timeout')], result(false, null, null, 'timeout')],
      [[], null],
    ];
    let t = 0;
    for (const [attempts, res] of cases) {
      r.started();
      r.finished({ intendedMs: t, startMs: t, endMs: t + 10, attempts, result: res, expectedDigest: 'sha256:a' });
      t += 10;
    }
    const s = r.summary(1000);
    expect(s.requests).toBe(5);
    expect(s.inFlight).toBe(0);
    expect(s.successes).toBe(2);
    expect(s.failures).toEqual({ internal: 1, 'server-error': 1, timeout: 1 });
    expect(s.successes + Object.values(s.failures).reduce((a, b) => a + b, 0)).toBe(s.requests);
    expect(s.winners).toEqual({ m1: 1, m2: 1 });
    expect(s.throughputPerSec).toBe(5);
    expect(s.successRate).toBeCloseTo(0.4);
    const m1 = s.perEndpoint.find((e) => e.endpoint === 'm1')!;
    expect([m1.attempts, m1.ok, m1.failed]).toEqual([4, 1, 3]);
    expect(m1.errors).toEqual({ refused: 2, timeout: 1 });
    expect(m1.latency.maxMs).toBeCloseTo(1000, 0);
    expect(s.perStep.ping!.count).toBe(7);
    expect(s.failover).toHaveProperty('refused');
    expect(s.failover.refused!.count).toBe(1);
    expect(s.failover.refused!.p50Ms).toBeCloseTo(2, 2);
    expect(s.perSecond).toEqual([{ ok: 2, failed: 3 }]);
  });

  it('counts accepted wrong content as a digest mismatch and a failure, never a success', () => {
    const r = new LoadRecorder({ mode: 'open' });
    r.started();
    r.finished({ intendedMs: 0, startMs: 0, endMs: 5, attempts: [attempt(0, 'm1', 'ok', 5)], result: result(true, 0, 'sha256:b'), expectedDigest: 'sha256:a' });
    const s = r.summary(100);
    expect(s.digestMismatches).toBe(1);
    expect(s.successes).toBe(0);
    expect(s.failures).toEqual({ 'digest-mismatch': 1 });
  });

  it('records open-loop latency from the intended start, service time from the actual start', () => {
    const r = new LoadRecorder({ mode: 'open' });
    r.started();
    r.finished({ intendedMs: 100, startMs: 150, endMs: 160, attempts: [attempt(0, 'm1', 'ok', 10)], result: result(true, 0, 'sha256:a') });
    r.started(); // still running
    const s = r.summary(200);
    expect(s.latency.maxMs).toBeCloseTo(60, 1);
    expect(s.serviceTime.maxMs).toBeCloseTo(10, 1);
    expect(s.lateStarts).toBe(1);
    expect(s.inFlight).toBe(1);
  });

  it('keeps each endpoint\'s failing window and names fault kinds through the scenario', () => {
    const r = new LoadRecorder({ mode: 'closed', faultKindOf: (a) => (a.errorClass === 'timeout' ? 'blackhole' : null) });
    for (const start of [0, 1000, 2000, 3000]) {
      const failing = start >= 1000 && start < 3000;
      const attempts = failing ? [attempt(0, 'm1', 'failed', 200, 'timeout'), attempt(1, 'm2', 'ok', 5)] : [attempt(0, 'm1', 'ok', 5)];
      r.started();
      r.finished({ intendedMs: start, startMs: start, endMs: start + (failing ? 205 : 5), attempts, result: result(true, failing ? 1 : 0, 'sha256:a') });
    }
    const s = r.summary(4000);
    const m1 = s.perEndpoint.find((e) => e.endpoint === 'm1')!;
    expect([m1.failingFromMs, m1.failingToMs]).toEqual([1200, 2200]);
    expect(Object.keys(s.failover)).toEqual(['blackhole']);
    expect(s.failover.blackhole!.p50Ms).toBeCloseTo(200, 0);
  });
});
