import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import { formatVerdictLine, formatVerifySummary } from '../../src/report/verify-text.ts';
import { formatVerifyJunit } from '../../src/report/verify-junit.ts';
import { summarizeVerdicts, type VerifyVerdict } from '../../src/verify/verdict.ts';
import type { AttemptEvent, ResultEvent } from '../../src/events/pull-events.ts';

const attempt = (index: number, location: string, mirror: boolean, ok: boolean): AttemptEvent => ({
  type: 'attempt', image: 'i', index, at: 0, reference: `${location}/a:1`, location, mirror, insecure: false, outcome: ok ? 'ok' : 'failed',
  error: ok ? null : 'refused', errorClass: ok ? null : 'refused', httpStatus: null, durationMs: 4, steps: [{ step: 'ping', ok, durationMs: 4 }],
});
const result = (ok: boolean, i: number | null): ResultEvent => ({ type: 'result', image: 'i', at: 0, ok, source: null, sourceIndex: i, digest: null, mediaType: null, error: ok ? null : 'x', errorClass: ok ? null : 'refused', durationMs: 4 });

describe('load report text', () => {
  it('states totals that add up, latency, endpoints, winners, failover and fault windows', () => {
    const r = new LoadRecorder({ mode: 'open', faults: [{ registry: 'm1.example.com', kind: 'refuse', fromMs: 1000, toMs: 2000 }], faultKindOf: () => 'refuse' });
    r.started();
    r.finished({ intendedMs: 0, startMs: 0, endMs: 10, attempts: [attempt(0, 'm1.example.com/a', true, true)], result: result(true, 0) });
    r.started();
    r.finished({ intendedMs: 1000, startMs: 1000, endMs: 1010, attempts: [attempt(0, 'm1.example.com/a', true, false), attempt(1, 'src.example.com/a', false, true)], result: result(true, 1) });
    r.started();
    r.finished({ intendedMs: 1500, startMs: 1500, endMs: 1510, attempts: [attempt(0, 'm1.example.com/a', true, false), attempt(1, 'src.example.com/a', false, false)], result: result(false, null) });
    const text = formatLoadReport(r.summary(2000));
    expect(text).toMatch(/^3 pulls in 2\.0 s \(open loop\): 1\.5\/s, 2 ok, 1 failed \(66\.7% success\); failures: refused 1$/m);
    expect(text).toContain('digest mismatches accepted: 0 (as it must be)');
    expect(text).toMatch(/end to end \(from schedule\)\s+3\s+10\.0 ms/);
    // The endpoint table's ten columns do not fit 80: one record per endpoint.
    expect(text).toMatch(/^m1\.example\.com\/a\n {4}attempts 3, ok 1, failed 2, p50 4\.00 ms, [^\n]*\n {4}[^\n]*errors refused 2, failing 1\.0 s – 1\.5 s$/m);
    expect(text).toMatch(/^src\.example\.com\/a \(source\)\n {4}attempts 2, ok 1, failed 1,/m);
    expect(text).toMatch(/WON BY\s+PULLS\s+SHARE\nm1\.example\.com\/a\s+1\s+50\.0%\nsrc\.example\.com\/a\s+1\s+50\.0%/);
    expect(text).toMatch(/TIME TO FAILOVER.*\nrefuse\s+1\s+4\.00 ms/);
    expect(text).toMatch(/refuse\s+m1\.example\.com\s+1\.0 s – 2\.0 s/);
  });
});

const verdict = (image: string, ok: boolean, reason: VerifyVerdict['reason'], endpoint: string | null): VerifyVerdict => ({
  type: 'verify', image, normalized: image, ok, reason, detail: ok ? `served by ${endpoint}/x` : 'm: not-found (HTTP 404)', mirror: ok ? `${endpoint}/x` : null, endpoint,
  digest: null, byDigest: true, noSource: true, attempts: [], durationMs: 12,
});

describe('verify text and JUnit', () => {
  const vs = [verdict('q/a@sha256:1', true, null, 'm.example.com/ocp'), verdict('q/b@sha256:2', false, 'not-mirrored', null), verdict('q/c@sha256:3', false, 'not-mirrored', null)];
  it('prints a line per image and a summary by reason and by mirror', () => {
    expect(formatVerdictLine(vs[0]!)).toBe('PASS  q/a@sha256:1  via m.example.com/ocp');
    expect(formatVerdictLine(vs[1]!)).toBe('FAIL  q/b@sha256:2  not-mirrored: m: not-found (HTTP 404)');
    const text = formatVerifySummary(summarizeVerdicts(vs));
    expect(text).toMatch(/^3 image\(s\): 1 served by a mirror, 2 would not be/);
    // The same words as resolve and pull (what-to-do.ts), not a verify-only text.
    expect(text).toMatch(/not-mirrored\s+2\s+the image is not there: [\s\S]*on a mirror, mirror the image \(oc-mirror, skopeo copy\)/);
    expect(text).toMatch(/m\.example\.com\/ocp\s+1/);
  });
  it('writes one testcase per image, failures typed by reason, text escaped', () => {
    const xml = formatVerifyJunit([...vs, verdict('q/<d>', false, 'auth', null)], 1500);
    expect(xml).toMatch(/<testsuites name="pullpath verify" tests="4" failures="3" errors="0">/);
    expect(xml).toMatch(/<testsuite name="verify" tests="4" failures="3" errors="0" skipped="0" time="1\.500">/);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('type="auth"');
    expect(xml).toContain('name="q/&lt;d&gt;"');
  });
});
