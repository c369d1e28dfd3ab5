/** Every plain-text table fits 80 columns with long values, and loses no word doing so. */
import { describe, expect, it } from 'vitest';
import { textTable } from '../../src/report/text-table.ts';
import { formatVerifySummary } from '../../src/report/verify-text.ts';
import { formatProbeTable } from '../../src/report/probe-text.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import type { ProbeEndpoint } from '../../src/probe/probe-types.ts';
import type { AttemptEvent, ResultEvent } from '../../src/events/pull-events.ts';

const LONG_MIRROR = 'mirror-registry.disconnected.internal.example.com:8443/openshift-release-dev/ocp-v4.0-art-dev';
const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
function fits(text: string): void {
  for (const l of text.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
}

describe('textTable', () => {
  it('keeps a table that fits exactly as before', () => {
    expect(textTable(['A', 'BB'], [['x', 'y'], ['long', 'z']])).toBe('A     BB\nx     y\nlong  z');
  });

  it('wraps the widest text column, keeping the first column whole and every word', () => {
    const why = 'manifest failed: the mirror answered HTTP 404 for every tag and digest it was asked for';
    const t = textTable(['ENDPOINT', 'STATE', 'WHY'], [['mirror.example.com/org', 'DOWN', why]]);
    fits(t);
    const lines = t.split('\n');
    expect(lines[1]).toMatch(/^mirror\.example\.com\/org  DOWN   manifest failed:/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(2).every((l) => l.startsWith(' '.repeat('mirror.example.com/org  DOWN   '.length)))).toBe(true);
    expect(words(t)).toEqual(words(['ENDPOINT', 'STATE', 'WHY', 'mirror.example.com/org', 'DOWN', why].join(' ')));
  });

  it('prints rows as records when columns cannot fit, with every value', () => {
    const header = ['ENDPOINT', 'ATTEMPTS', 'OK', 'P50', 'P99', 'ERRORS'];
    const t = textTable(header, [[LONG_MIRROR, '12', '10', '4.00 ms', '1.25 s', 'refused 2']]);
    fits(t);
    expect(t).toContain('attempts 12, ok 10, p50 4.00 ms, p99 1.25 s, errors refused 2');
    expect(t.replace(/\s+/g, '')).toContain(LONG_MIRROR);
  });
});

describe('the text reports at 80 columns with long values', () => {
  it('verify summary', () => {
    fits(formatVerifySummary({ total: 3, passed: 1, failed: 2, byReason: { 'tag-on-digest-only': 1, 'blobs-missing': 1 }, byMirror: { [LONG_MIRROR]: 1 } } as never));
  });

  it('probe table, once and in watch mode', () => {
    const ep = (location: string, role: ProbeEndpoint['role']): ProbeEndpoint => ({ location, host: location.split('/')[0]!, insecure: true, role, prefixes: ['quay.io/org'], pullFromMirror: '', origin: null, canary: null });
    const t = new ProbeTracker([ep(LONG_MIRROR, 'mirror'), ep('quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'primary')], [{ location: 'blocked.example.com', reason: 'blocked in registries.conf', origin: null }]);
    t.record({ endpoint: LONG_MIRROR, atMs: 0, ok: false, steps: [{ step: 'ping', ok: true, durationMs: 2, httpStatus: 200, errorClass: null, error: null }, { step: 'manifest', ok: false, durationMs: 3, httpStatus: 404, errorClass: 'not-found', error: 'manifest unknown: manifest unknown to the registry' }] });
    t.endRound();
    fits(formatProbeTable(t.snapshot(), { watch: false }));
    fits(formatProbeTable(t.snapshot(), { watch: true }));
  });

  it('load report', () => {
    const attempt = (location: string, ok: boolean): AttemptEvent => ({
      type: 'attempt', image: 'i', index: 0, at: 0, reference: `${location}/a:1`, location, mirror: true, insecure: false, outcome: ok ? 'ok' : 'failed',
      error: ok ? null : 'refused', errorClass: ok ? null : 'refused', httpStatus: null, durationMs: 4, steps: [{ step: 'ping', ok, durationMs: 4 }],
    });
    const result: ResultEvent = { type: 'result', image: 'i', at: 0, ok: true, source: LONG_MIRROR, sourceIndex: 0, digest: null, mediaType: null, error: null, errorClass: null, durationMs: 4 };
    const r = new LoadRecorder({ mode: 'open', faults: [{ registry: LONG_MIRROR.split('/')[0]!, kind: 'refuse', fromMs: 1000, toMs: 2000 }], faultKindOf: () => 'refuse' });
    r.started();
    r.finished({ intendedMs: 0, startMs: 0, endMs: 10, attempts: [attempt(LONG_MIRROR, true)], result });
    fits(formatLoadReport(r.summary(2000)));
  });
});
