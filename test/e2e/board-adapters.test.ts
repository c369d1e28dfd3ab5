/** The probe and load commands' adapters from engine summaries to the TUI's view models. */
import { describe, expect, it } from 'vitest';
import { toBoard } from '../../cli/commands/probe.ts';
import { toLoadBoard } from '../../cli/commands/load.ts';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import type { AttemptEvent, ResultEvent } from '../../src/pull/events.ts';

describe('probe board adapter', () => {
  it('carries health, window error rate, latency and the last change', () => {
    const t = new ProbeTracker([{ location: 'm.example.com/org', host: 'm.example.com', insecure: true, role: 'mirror', prefixes: ['quay.io/org'], pullFromMirror: '', origin: null, canary: null }], [], { window: 4, slowMs: 1000 });
    t.record({ endpoint: 'm.example.com/org', atMs: 0, ok: true, steps: [{ step: 'ping', ok: true, durationMs: 3, httpStatus: 200, errorClass: null, error: null }] });
    t.record({ endpoint: 'm.example.com/org', atMs: 500, ok: false, steps: [{ step: 'ping', ok: false, durationMs: 1, httpStatus: null, errorClass: 'refused', error: 'connection refused' }] });
    const b = toBoard(t.snapshot(), 600);
    expect(b.at).toBe(600);
    expect(b.endpoints[0]).toMatchObject({
      endpoint: 'm.example.com/org', role: 'mirror of quay.io/org (insecure)', health: 'down', errorRate: 0.5, samples: 2,
      lastChange: { at: 500, from: 'up' }, lastError: 'connection refused', lastErrorClass: 'refused',
    });
    expect(b.endpoints[0]!.latencyMs!.p50).toBeCloseTo(3, 1);
  });
});

describe('load board adapter', () => {
  it('derives interval throughput, failovers, upstream hits and wins from two summaries', () => {
    const r = new LoadRecorder({ mode: 'closed' });
    const attempt = (index: number, location: string, mirror: boolean, ok: boolean): AttemptEvent => ({
      type: 'attempt', image: 'i', index, at: 0, reference: location + '/a:1', location, mirror, insecure: false, outcome: ok ? 'ok' : 'failed',
      error: ok ? null : 'x', errorClass: ok ? null : 'refused', httpStatus: null, durationMs: 2, steps: [],
    });
    const result = (i: number): ResultEvent => ({ type: 'result', image: 'i', at: 0, ok: true, source: null, sourceIndex: i, digest: null, mediaType: null, error: null, errorClass: null, durationMs: 2 });
    r.started();
    r.finished({ intendedMs: 0, startMs: 0, endMs: 5, attempts: [attempt(0, 'm1', true, true)], result: result(0) });
    const first = r.summary(1000);
    r.started();
    r.finished({ intendedMs: 1000, startMs: 1000, endMs: 1005, attempts: [attempt(0, 'm1', true, false), attempt(1, 'src', false, true)], result: result(1) });
    r.started();
    const b = toLoadBoard(r.summary(2000), first, 10_000);
    expect(b).toMatchObject({ at: 2000, durationMs: 10_000, completed: 2, succeeded: 2, failed: 0, inFlight: 1, throughput: 1, failovers: 1, upstreamHits: 1 });
    expect(b.timeToFailover).toEqual([expect.objectContaining({ faultKind: 'refused', count: 1 })]);
    expect(b.endpoints.find((e) => e.endpoint === 'm1')).toMatchObject({ requests: 2, errors: 1, wins: 1, throughput: 1, role: 'mirror' });
  });
});
