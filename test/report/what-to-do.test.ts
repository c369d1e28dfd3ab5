/** The fix texts: one table shared by verify, resolve and pull, and the rules that pick them. */
import { describe, expect, it } from 'vitest';
import { FIX_TEXT, pullFixes, resolutionFixes, VERIFY_REASON_TOPIC } from '../../src/report/what-to-do.ts';
import { REASON_HELP } from '../../src/report/verify-text.ts';
import type { AttemptEvent, ErrorClass, ResultEvent } from '../../src/events/pull-events.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { confFrom } from '../resolve/helpers.ts';

const image = 'q.example.com/a:1';
const attempt = (location: string, errorClass: ErrorClass | null, outcome: AttemptEvent['outcome'] = 'failed'): AttemptEvent => ({
  type: 'attempt', image, index: 0, at: 0, reference: `${location}/a:1`, location, mirror: true, insecure: false, outcome, error: 'e', errorClass, httpStatus: null, durationMs: 1, steps: [],
});
const failed: ResultEvent = { type: 'result', image, at: 1, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: 'e', errorClass: 'not-found', durationMs: 1 };

describe('what to do', () => {
  it('verify words each reason as resolve and pull do', () => {
    for (const [reason, topic] of Object.entries(VERIFY_REASON_TOPIC)) expect(REASON_HELP[reason as keyof typeof REASON_HELP]).toBe(FIX_TEXT[topic]);
    expect(REASON_HELP['tag-on-digest-only']).toMatch(/^pin by digest, or add an ImageTagMirrorSet/);
  });

  it.each([
    ['refused', 'unreachable'], ['dns', 'unreachable'], ['timeout', 'timeout'], ['tls', 'tls'], ['http-to-https', 'http-to-https'],
    ['unauthorized', 'auth'], ['forbidden', 'auth'], ['not-found', 'not-found'], ['rate-limited', 'rate-limited'], ['server-error', 'registry-error'],
    ['digest-mismatch', 'digest-mismatch'], ['not-a-registry', 'not-a-registry'],
  ] as [ErrorClass, string][])('a %s attempt suggests the %s fix, naming the endpoint', (cls, topic) => {
    expect(pullFixes(undefined, [attempt('m.example.com', cls)], failed)).toEqual([{ subject: 'm.example.com', topic, text: FIX_TEXT[topic as keyof typeof FIX_TEXT] }]);
  });

  it('pull: one fix per endpoint and topic, skipped mirrors first, nothing when the image pulled', () => {
    const start = { type: 'image' as const, image, at: 0, normalized: image, registry: null, plan: [], error: null, skipped: [{ location: 'd.example.com', reason: 'r', kind: 'digest-only' as const }] };
    const fixes = pullFixes(start, [attempt('m.example.com', 'not-found'), attempt('m.example.com', 'not-found'), attempt('q.example.com', null, 'blocked')], failed);
    expect(fixes.map((f) => [f.subject, f.topic])).toEqual([['d.example.com (skipped)', 'tag-on-digest-only'], ['m.example.com', 'not-found'], ['q.example.com', 'blocked']]);
    expect(pullFixes(start, [attempt('m.example.com', null, 'ok')], { ...failed, ok: true, error: null, errorClass: null })).toEqual([]);
  });

  it('resolve: a tag-only mirror skipped for a digest, and every source blocked', () => {
    const c = compileConfig(confFrom(`[[registry]]
location = "q.example.com"
blocked = true
[[registry.mirror]]
location = "t.example.com"
pull-from-mirror = "tag-only"
`));
    const r = resolveArg(c, `q.example.com/a@sha256:${'a'.repeat(64)}`);
    expect(resolutionFixes(r).map((f) => [f.subject, f.topic])).toEqual([['t.example.com (skipped)', 'digest-on-tag-only'], ['q.example.com', 'blocked']]);
  });
});
