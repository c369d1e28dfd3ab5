import { describe, expect, it } from 'vitest';
import { verifyMetricsText, VERIFY_REASONS } from '../../src/report/verify-metrics.ts';
import type { VerifyVerdict } from '../../src/verify/verdict.ts';
import { parsePromText, value } from '../probe/prom-text.ts';

const verdict = (image: string, reason: VerifyVerdict['reason']): VerifyVerdict => ({
  type: 'verify', image, normalized: image, ok: reason === null, reason, detail: '', mirror: null, endpoint: null, digest: null,
  byDigest: true, noSource: false, attempts: [], durationMs: 1,
});

describe('verify metrics', () => {
  it('summarises per node by result and reason, with no image anywhere in the labels', async () => {
    const verdicts = [verdict('quay.io/a/x@sha256:1', null), verdict('quay.io/a/y@sha256:2', 'not-mirrored'), verdict('quay.io/a/z@sha256:3', 'not-mirrored'), verdict('quay.io/b/w:1', 'auth')];
    const text = await verifyMetricsText(verdicts, 2500, { node: 'worker-7', now: () => 1_700_000_000_000 });
    const { samples, types } = parsePromText(text);
    expect(value(samples, 'pullpath_verify_images', { result: 'ok' })).toBe(1);
    expect(value(samples, 'pullpath_verify_images', { result: 'failed' })).toBe(3);
    expect(value(samples, 'pullpath_verify_failures', { reason: 'not-mirrored' })).toBe(2);
    expect(value(samples, 'pullpath_verify_failures', { reason: 'auth' })).toBe(1);
    expect(value(samples, 'pullpath_verify_failures', { reason: 'unreachable' })).toBe(0);
    expect(samples.filter((s) => s.name === 'pullpath_verify_failures')).toHaveLength(VERIFY_REASONS.length);
    expect(value(samples, 'pullpath_verify_success', {})).toBe(0);
    expect(value(samples, 'pullpath_verify_last_run_timestamp_seconds', {})).toBe(1_700_000_000);
    expect(value(samples, 'pullpath_verify_duration_seconds', {})).toBe(2.5);
    expect(types.get('pullpath_verify_runs_total')).toBe('counter');
    for (const s of samples) {
      expect(s.labels.node).toBe('worker-7');
      expect(Object.keys(s.labels).every((k) => ['node', 'result', 'reason'].includes(k))).toBe(true);
    }
    expect(text).not.toContain('quay.io');
  });

  it('says success when every image passed', async () => {
    const { samples } = parsePromText(await verifyMetricsText([verdict('a/b@sha256:1', null)], 1));
    expect(value(samples, 'pullpath_verify_success', {})).toBe(1);
    expect(samples.every((s) => s.labels.node === undefined)).toBe(true);
  });
});
