/** The probe command's adapter from engine summaries to the TUI's view model (load's board takes the LoadSummary itself). */
import { describe, expect, it } from 'vitest';
import { toBoard } from '../../cli/commands/probe.ts';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';

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
