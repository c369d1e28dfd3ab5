import { describe, expect, it } from 'vitest';
import type { PullEvent } from '../../../src/events/pull-events.ts';
import { pullReducer, reducePullEvents } from '../../../cli/tui/state/pull-reducer.ts';
import { initialPullState, type ImageStatus, type PullViewState } from '../../../cli/tui/state/pull-state.ts';
import { imagePull, QUAY } from '../../fixtures/tui/pull-events.ts';

const IMG = 'quay.io/org/app:1.4';
const failover = imagePull(IMG, 'app:1.4', [
  { location: 'mirror1.example.com:5000/org', mirror: true, outcome: 'failed', httpStatus: 503, errorClass: 'server-error', error: 'received unexpected HTTP status: 503 Service Unavailable', durationMs: 4 },
  { location: 'mirror2.example.com/org', mirror: true, outcome: 'ok', durationMs: 6 },
  { location: 'quay.io/org', mirror: false },
]);

function fold(events: readonly PullEvent[]): PullViewState {
  return events.reduce(pullReducer, initialPullState());
}

describe('pullReducer: one image through its events', () => {
  // [after how many events of `failover`, status, current attempt index, attempts seen, outcomes]
  it.each<[number, ImageStatus, number | null, string[]]>([
    [1, 'pending', null, []],
    [2, 'trying', 0, ['trying']],
    [3, 'trying', 0, ['failed']],
    [4, 'trying', 1, ['failed', 'trying']],
    [5, 'trying', 1, ['failed', 'ok']],
    [6, 'ok', null, ['failed', 'ok']],
  ])('after %i events the image is %s, current source %j, attempts %j', (n, status, current, outcomes) => {
    const img = fold(failover.slice(0, n)).images.get(IMG)!;
    expect(img.status).toBe(status);
    expect(img.current).toBe(current);
    expect(img.attempts.map((a) => a.outcome)).toEqual(outcomes);
  });

  it('keeps the attempt details the chain shows: endpoint, HTTP status, time, failed step, error', () => {
    const img = fold(failover).images.get(IMG)!;
    expect(img.attempts[0]).toMatchObject({
      index: 0,
      mirror: true,
      location: 'mirror1.example.com:5000/org',
      reference: 'mirror1.example.com:5000/org/app:1.4',
      httpStatus: 503,
      durationMs: 4,
      failedStep: 'manifest',
      errorClass: 'server-error',
      error: 'received unexpected HTTP status: 503 Service Unavailable',
    });
    expect(img.registry).toEqual(QUAY);
    expect(img.planned).toBe(3);
    expect(img.result).toMatchObject({ source: 'mirror2.example.com/org/app:1.4', sourceIndex: 1 });
  });

  it('counts totals: images, attempts, failed attempts, failovers', () => {
    const s = fold(failover);
    expect(s.totals).toEqual({ images: 1, pending: 0, trying: 0, ok: 1, failed: 0, attempts: 2, failedAttempts: 1, failedOver: 1 });
  });
});

describe('pullReducer: edge cases', () => {
  it('fails an image at once on a resolution error, before any attempt', () => {
    const s = fold([{ type: 'image', image: 'bad//ref', at: 3, normalized: null, registry: null, plan: [], skipped: [], error: 'invalid reference format' }]);
    expect(s.images.get('bad//ref')).toMatchObject({ status: 'failed', resolutionError: 'invalid reference format', endedAt: 3 });
    expect(s.totals.failed).toBe(1);
  });

  it('keeps skipped mirrors with their reasons', () => {
    const skipped = [{ location: 'digest-only.example.com', reason: 'mirror-by-digest-only and the reference is a tag', origin: 'r.conf:4' }];
    const s = fold([{ type: 'image', image: IMG, at: 0, normalized: IMG, registry: QUAY, plan: [], skipped, error: null }]);
    expect(s.images.get(IMG)!.skipped).toEqual(skipped);
  });

  it('creates the row when the image event was never seen (attempt first)', () => {
    const s = fold(failover.slice(1));
    expect(s.order).toEqual([IMG]);
    expect(s.images.get(IMG)!.status).toBe('ok');
  });

  it('keeps attempts in try order even when events arrive out of order', () => {
    const [, start0, end0, start1, end1] = failover;
    const s = fold([start1!, end1!, start0!, end0!]);
    expect(s.images.get(IMG)!.attempts.map((a) => a.index)).toEqual([0, 1]);
  });

  it('keeps images in first-seen order and tracks the clock', () => {
    const b = imagePull('quay.io/org/b:1', 'b:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok', durationMs: 50 }], 100);
    const s = fold([...b, ...failover]);
    expect(s.order).toEqual(['quay.io/org/b:1', IMG]);
    expect(s.firstAt).toBe(0);
    expect(s.lastAt).toBe(150);
  });
});

describe('reducePullEvents: batches', () => {
  it('gives the same state as folding one event at a time', () => {
    const events = [...failover, ...imagePull('quay.io/org/b:1', 'b:1', [{ location: 'quay.io/org', mirror: false, outcome: 'failed' }])];
    expect(reducePullEvents(initialPullState(), events)).toEqual(fold(events));
    const half = reducePullEvents(initialPullState(), events.slice(0, 4));
    expect(reducePullEvents(half, events.slice(4))).toEqual(fold(events));
  });

  it('never mutates the state it is given', () => {
    const before = reducePullEvents(initialPullState(), failover.slice(0, 3));
    const snapshot = structuredClone(before);
    reducePullEvents(before, failover.slice(3));
    expect(before).toEqual(snapshot);
  });

  it('returns the same object for an empty batch', () => {
    const s = initialPullState();
    expect(reducePullEvents(s, [])).toBe(s);
  });
});

describe('pullReducer: credentials of a refused attempt', () => {
  it('a 401 shows which credentials were rejected, or that none were sent', () => {
    const events = imagePull(IMG, 'app:1.4', [
      { location: 'mirror1.example.com:5000/org', mirror: true, outcome: 'failed', httpStatus: 401, errorClass: 'unauthorized', error: 'reading manifest 1.4 in mirror1.example.com:5000/org/app: unauthorized: authentication required', durationMs: 4 },
      { location: 'quay.io/org', mirror: false, outcome: 'failed', httpStatus: 401, errorClass: 'unauthorized', error: 'reading manifest 1.4 in quay.io/org/app: unauthorized: authentication required', durationMs: 4 },
    ]).map((e) => {
      if (e.type !== 'attempt') return e;
      return { ...e, credentials: e.index === 0 ? { kind: 'auth-file' as const, file: '/a.json', key: 'mirror1.example.com:5000', username: 'bob', text: 'auth file /a.json, key "mirror1.example.com:5000" (user bob)' } : { kind: 'none' as const, text: 'none matched quay.io/org/app (looked in: /a.json)' } };
    });
    const img = fold(events).images.get(IMG)!;
    expect(img.attempts[0]!.warnings).toEqual(['HTTP 401: the credentials were rejected: auth file /a.json, key "mirror1.example.com:5000" (user bob)']);
    expect(img.attempts[1]!.warnings).toEqual(['HTTP 401: no credentials were sent (none matched quay.io/org/app (looked in: /a.json))']);
  });
});
