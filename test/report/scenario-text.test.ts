import { describe, expect, it } from 'vitest';
import { formatScenarioText, formatScenarioTotals, formatScenarioVerdict } from '../../src/report/scenario-text.ts';
import { formatScenarioJsonLines } from '../../src/report/scenario-json.ts';
import type { ScenarioReport } from '../../src/scenario/types.ts';

const report: ScenarioReport = {
  file: 's.toml', name: 'two-sources', story: 'A mirror and its source.', ok: false, error: null, durationMs: 1500,
  mocks: [{ host: 'm.example.com', address: '127.0.0.1:1', requests: 3, unmatched: ['GET /v3/'], unusedRules: ['#0 status 503 on manifest from 2s to 5s'] }],
  pulls: [{
    key: 'pull[0]', ref: 'quay.io/a/b:1', run: 1, ok: false,
    events: [
      { type: 'image', image: 'quay.io/a/b:1', at: 0, normalized: 'quay.io/a/b:1', registry: null, plan: [], skipped: [{ location: 'd.example.com/a', reason: 'digest-only mirror, tag reference' }], error: null },
      { type: 'attempt', image: 'quay.io/a/b:1', index: 1, at: 9, reference: 'quay.io/a/b:1', location: 'quay.io/a', mirror: false, insecure: false, outcome: 'failed', error: 'reading manifest 1 in quay.io/a/b: manifest unknown', errorClass: 'not-found', httpStatus: 404, durationMs: 4, steps: [] },
      { type: 'attempt', image: 'quay.io/a/b:1', index: 0, at: 2, reference: 'm.example.com/a/b:1', location: 'm.example.com/a', mirror: true, insecure: false, outcome: 'failed', error: 'pinging container registry m.example.com: refused', errorClass: 'refused', httpStatus: null, durationMs: 2, steps: [] },
      { type: 'result', image: 'quay.io/a/b:1', at: 12, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: '(Mirrors also failed: [m.example.com/a/b:1: pinging container registry m.example.com: refused]): quay.io/a/b:1: reading manifest 1 in quay.io/a/b: manifest unknown', errorClass: 'not-found', durationMs: 12 },
    ],
    expectations: [
      { key: 'outcome', ok: true, expected: 'failed', actual: 'failed' },
      { key: 'error-class', ok: false, expected: 'refused', actual: 'not-found' },
    ],
  }],
};

describe('formatScenarioText', () => {
  it('shows the story, skipped mirrors, attempts in try order, the final error, each expectation and notes', () => {
    const text = formatScenarioText(report);
    expect(text).toContain('scenario two-sources  (s.toml)\n  A mirror and its source.\n');
    expect(text).toContain('  FAIL  pull[0]  quay.io/a/b:1: failed (12 ms)');
    expect(text).toContain('skipped d.example.com/a: digest-only mirror, tag reference');
    expect(text.indexOf('1. mirror  m.example.com/a/b:1  failed (refused)')).toBeLessThan(text.indexOf('2. primary quay.io/a/b:1  failed (not-found)'));
    expect(text).toContain('final error:\n          (Mirrors also failed: [');
    expect(text).toContain('✓ outcome: failed');
    expect(text).toContain('✗ error-class: expected refused\n            got not-found');
    expect(text).toContain('note: m.example.com received requests it does not serve: GET /v3/');
    expect(text).toContain('note: m.example.com: fault rule never fired: #0 status 503 on manifest from 2s to 5s');
    expect(text).toContain('FAIL: 0/1 pulls as expected, 1/2 expectations met, 1.50 s');
  });

  it('prints only the verdict after a TUI run, and a set-up error instead of pulls', () => {
    expect(formatScenarioVerdict(report)).toBe(
      'scenario two-sources  (s.toml)\n  ✗ pull[0] quay.io/a/b:1: error-class: expected refused, got not-found\n  FAIL: 0/1 pulls as expected, 1/2 expectations met, 1.50 s\n',
    );
    expect(formatScenarioText({ ...report, error: 'could not start the mock registries: EADDRINUSE', pulls: [] })).toContain('  ERROR  could not start the mock registries: EADDRINUSE');
  });

  it('totals several scenarios', () => {
    expect(formatScenarioTotals([report, { ...report, name: 'b', ok: true }])).toBe('1 of 2 scenario(s) failed: two-sources\n');
    expect(formatScenarioTotals([{ ...report, ok: true }])).toBe('all 1 scenario(s) passed\n');
  });
});

describe('formatScenarioJsonLines', () => {
  it('writes one pull object per run and one scenario object, attempts sorted by index', () => {
    const lines = formatScenarioJsonLines(report).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: 'pull', scenario: 'two-sources', key: 'pull[0]', ok: false, result: { ok: false, errorClass: 'not-found' } });
    expect(lines[0].attempts.map((a: { index: number }) => a.index)).toEqual([0, 1]);
    expect(lines[1]).toMatchObject({ type: 'scenario', ok: false, total: 1, passed: 0, failed: 1, expectationsMet: 1, expectationsTotal: 2, durationMs: 1500 });
  });
});
