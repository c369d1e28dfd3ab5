/**
 * How pull, verify and "what to do" word an attempt's credentials: which were used, and for a refusal
 * whether they were rejected or there were none (pure views over AttemptEvents and verdicts).
 */
import { describe, expect, it } from 'vitest';
import type { AttemptEvent, CredentialSource, ResultEvent } from '../../src/events/pull-events.ts';
import { formatAttemptLine } from '../../src/report/pull-text.ts';
import { formatVerdictLine } from '../../src/report/verify-text.ts';
import { pullFixes } from '../../src/report/what-to-do.ts';
import { classifyVerify } from '../../src/verify/classify.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';

const HELPER: CredentialSource = { kind: 'helper', helper: 'vault', file: '/h/auth.json', key: 'm.example.com', username: 'bob', text: 'credential helper docker-credential-vault for m.example.com (credHelpers in /h/auth.json) (user bob)' };
const NONE: CredentialSource = { kind: 'none', text: 'none matched m.example.com/a (looked in: /h/auth.json)' };

const attempt = (credentials: CredentialSource | undefined, ok = false): AttemptEvent => ({
  type: 'attempt', image: 'src.example.com/a:1', index: 0, at: 0, reference: 'm.example.com/a:1', location: 'm.example.com', mirror: true, insecure: false,
  outcome: ok ? 'ok' : 'failed', error: ok ? null : 'reading manifest 1 in m.example.com/a: unauthorized: authentication required', errorClass: ok ? null : 'unauthorized', httpStatus: ok ? 200 : 401,
  durationMs: 3, steps: [], ...(credentials ? { credentials } : {}),
});
const failed: ResultEvent = { type: 'result', image: 'src.example.com/a:1', at: 0, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: 'x', errorClass: 'unauthorized', durationMs: 3 };

describe('credentials in reports', () => {
  it('pull text: the credentials line, and a 401 with credentials is "rejected", naming them', () => {
    const line = formatAttemptLine(attempt(HELPER));
    expect(line).toContain(`credentials: ${HELPER.text}`);
    expect(line).toContain(`note: HTTP 401: the credentials were rejected: ${HELPER.text}`);
  });

  it('pull text: a 401 without credentials says none were sent, and where it looked', () => {
    expect(formatAttemptLine(attempt(NONE))).toContain(`note: HTTP 401: no credentials were sent (${NONE.text})`);
  });

  it('what to do: auth-rejected vs auth-missing', () => {
    expect(pullFixes(undefined, [attempt(HELPER)], failed).map((f) => f.topic)).toEqual(['auth-rejected']);
    expect(pullFixes(undefined, [attempt(NONE)], failed).map((f) => f.topic)).toEqual(['auth-missing']);
    expect(pullFixes(undefined, [{ ...attempt(undefined), errorClass: 'credentials', httpStatus: null }], failed).map((f) => f.topic)).toEqual(['credentials-lookup']);
  });

  it('verify: a FAIL detail names the rejected credentials; a PASS names the ones that worked', () => {
    const r = { ref: 'src.example.com/a:1', normalized: 'src.example.com/a:1', sources: [], skipped: [] } as unknown as Resolution;
    const plan = { sources: [], noSource: true, verdict: null };
    const fail = classifyVerify('src.example.com/a:1', r, plan, [attempt(HELPER)], failed);
    expect(fail.detail).toBe(`m.example.com: unauthorized (HTTP 401: the credentials were rejected: ${HELPER.text})`);
    expect(fail.attempts[0]!.credentials).toEqual(HELPER);
    const ok = classifyVerify('src.example.com/a:1', r, plan, [attempt(HELPER, true)], { ...failed, ok: true, sourceIndex: 0, error: null, errorClass: null });
    expect(formatVerdictLine(ok)).toBe(`PASS  src.example.com/a:1  via m.example.com (by tag)  (credentials: ${HELPER.text})`);
  });
});
