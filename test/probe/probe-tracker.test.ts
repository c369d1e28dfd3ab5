import { describe, expect, it } from 'vitest';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';
import type { ProbeEndpoint, ProbeOutcome } from '../../src/probe/probe-types.ts';

const ep: ProbeEndpoint = { location: 'm.example.com', host: 'm.example.com', insecure: false, role: 'mirror', prefixes: ['quay.io'], pullFromMirror: '', origin: null, canary: 'm.example.com/a@sha256:00' };
const outcome = (atMs: number, ok: boolean): ProbeOutcome => ({
  endpoint: ep.location, atMs, ok,
  steps: ok ? [{ step: 'ping', ok: true, durationMs: 4, httpStatus: 200, errorClass: null, error: null }] : [{ step: 'ping', ok: false, durationMs: 1, httpStatus: 503, errorClass: 'server-error', error: '503' }],
});

describe('ProbeTracker', () => {
  it('tracks state changes, the time of the last change, and errors by class', () => {
    const t = new ProbeTracker([ep], [{ location: 'blocked.example.com', reason: 'blocked', origin: null }], { window: 3, slowMs: 1000 });
    expect(t.snapshot().endpoints[0]!.state).toBe('unknown');
    expect(t.record(outcome(0, true))).toEqual({ endpoint: ep.location, from: 'unknown', to: 'up', reason: 'all steps passed', atMs: 0 });
    expect(t.record(outcome(1000, false))?.to).toBe('down');
    expect(t.record(outcome(2000, true))?.to).toBe('degraded');
    expect(t.record(outcome(3000, true))).toBeNull(); // still one failure in the window of 3
    expect(t.record(outcome(4000, true))?.to).toBe('up');
    t.endRound();
    const s = t.snapshot();
    const e = s.endpoints[0]!;
    expect([e.state, e.lastChangeMs, e.probes, e.failures]).toEqual(['up', 4000, 5, 1]);
    expect(e.errors).toEqual({ 'server-error': 1 });
    expect(e.latency.ping!.count).toBe(5);
    expect(s.counts).toEqual({ unknown: 0, up: 1, degraded: 0, down: 0 });
    expect(s.skipped).toHaveLength(1);
    expect(s.round).toBe(1);
  });
});
