import { describe, expect, it } from 'vitest';
import { createPullTextWriter, renderImageText } from '../../src/report/pull-text.ts';
import { includeInJsonLines, pullEventToJsonLine } from '../../src/report/pull-jsonl.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../../src/events/pull-events.ts';
import { FIX_TEXT } from '../../src/report/what-to-do.ts';

const image = 'docker://p.example.com/lib/x:1';
const attempt = (index: number, extra: Partial<AttemptEvent>): AttemptEvent => ({
  type: 'attempt', image, index, at: 1, reference: `m${index}.example.com/lib/x:1`, location: `m${index}.example.com`, mirror: true, insecure: false,
  outcome: 'failed', error: null, errorClass: null, httpStatus: null, durationMs: 12.3, steps: [], ...extra,
});
const result = (extra: Partial<ResultEvent>): ResultEvent => ({ type: 'result', image, at: 2, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: null, errorClass: null, durationMs: 1500, ...extra });

describe('pull text', () => {
  const failedRun: PullEvent[] = [
    { type: 'image', image, at: 0, normalized: 'p.example.com/lib/x:1', registry: { prefix: 'p.example.com', location: 'p.example.com', insecure: false, blocked: false, mirrorByDigestOnly: false, origin: '/etc/r.conf:3' }, plan: [], skipped: [{ location: 'd.example.com', reason: 'digest-only mirror, tag reference', kind: 'digest-only' }], error: null },
    attempt(0, { error: 'reading manifest 1 in m0.example.com/lib/x: manifest unknown: manifest unknown', errorClass: 'not-found', httpStatus: 404, steps: [{ step: 'ping', ok: true, url: 'http://m0.example.com/v2/', durationMs: 1 }] }),
    attempt(1, { mirror: false, reference: 'p.example.com/lib/x:1', outcome: 'blocked', error: 'registry p.example.com is blocked in a or b', errorClass: 'blocked' }),
    result({ error: '(Mirrors also failed: [m0.example.com/lib/x:1: E]): p.example.com/lib/x:1: registry p.example.com is blocked in a or b', errorClass: 'blocked' }),
  ];

  it('shows the plan, one line per attempt, the verdict and the runtime error verbatim', () => {
    expect(renderImageText(failedRun)).toBe(
      [
        image,
        '  normalized: p.example.com/lib/x:1',
        '  matched [[registry]] prefix "p.example.com" (/etc/r.conf:3)',
        '  skipped mirror d.example.com: digest-only mirror, tag reference',
        '   1. mirror   m0.example.com/lib/x:1  http://m0.example.com  FAILED  404  12 ms',
        '      not-found: reading manifest 1 in m0.example.com/lib/x: manifest unknown: manifest unknown',
        '   2. primary  p.example.com/lib/x:1  (no request)  BLOCKED  -  12 ms',
        '      blocked: registry p.example.com is blocked in a or b',
        '  FAILED (blocked) in 1.50 s',
        '  error (as the runtime reports it):',
        '(Mirrors also failed: [m0.example.com/lib/x:1: E]): p.example.com/lib/x:1: registry p.example.com is blocked in a or b',
        '  what to do:',
        `    - d.example.com (skipped): ${FIX_TEXT['tag-on-digest-only']}`,
        `    - m0.example.com: ${FIX_TEXT['not-found']}`,
        `    - m1.example.com: ${FIX_TEXT.blocked}`,
        '',
      ].join('\n'),
    );
    expect(FIX_TEXT['tag-on-digest-only']).toMatch(/^pin by digest, or add an ImageTagMirrorSet/);
  });

  it('suggests nothing for an image that pulled', () => {
    const ok = [failedRun[0]!, attempt(0, { outcome: 'ok' }), result({ ok: true, source: 'm0.example.com/lib/x:1', sourceIndex: 0 })];
    expect(renderImageText(ok)).not.toContain('what to do');
  });

  it('a stopped run shows its attempts and the image as CANCELLED, not FAILED', () => {
    const text = renderImageText([
      attempt(0, { error: 'pinging container registry m0.example.com: Get "https://m0.example.com/v2/": context canceled', errorClass: 'cancelled' }),
      result({ error: 'pinging container registry m0.example.com: Get "https://m0.example.com/v2/": context canceled', errorClass: 'cancelled' }),
    ]);
    expect(text).toContain('m0.example.com  CANCELLED  -  12 ms\n      cancelled: pinging container registry m0.example.com');
    expect(text).toContain('\n  CANCELLED in 1.50 s\n');
    expect(text).not.toMatch(/FAILED/);
  });

  it('releases blocks in input order and keeps each image together', () => {
    const out: string[] = [];
    const w = createPullTextWriter((s) => out.push(s), ['b', 'a']);
    const ev = (img: string, e: Partial<PullEvent> & { type: PullEvent['type'] }) => ({ ...e, image: img }) as PullEvent;
    w.push(ev('a', attempt(0, { image: 'a' })));
    w.push(ev('b', attempt(0, { image: 'b' })));
    w.push(ev('a', result({ image: 'a', ok: true, source: 's', sourceIndex: 0 })));
    expect(out).toEqual([]);
    w.push(ev('b', result({ image: 'b', error: 'E' })));
    expect(out.map((s) => s.trimStart().split('\n')[0])).toEqual(['b', 'a']);
    w.end();
    expect(out.at(-1)).toBe('\n1 of 2 images pulled\n');
  });

  it('JSON Lines are the events themselves, one a line, without live-only starts', () => {
    const line = pullEventToJsonLine(failedRun[1]!);
    expect(line.endsWith('\n')).toBe(true);
    const { at, ...rest } = failedRun[1] as AttemptEvent;
    expect(JSON.parse(line)).toEqual({ ...rest, atMs: at }); // `at` is written atMs, the shared vocabulary
    expect(includeInJsonLines({ type: 'attempt-start', image, index: 0, at: 0, reference: 'r', location: 'l', mirror: true, insecure: false })).toBe(false);
  });

  it('shows the endpoint as the origin of the last ping URL, exactly as the URL parser gives it, in every spelling', () => {
    const urls = [
      'http://m0.example.com/v2/',
      'https://127.0.0.1:5000/v2/',
      'https://[::1]:5000/v2/',
      'https://Mirror.Example.COM/v2/',
      'https://m0.example.com:443/v2/',
      'http://m0.example.com:80/v2/',
      'http://m0.example.com:8080/v2/',
      'https://registry-1.docker.io/v2/',
      'http://127.1:5000/v2/',
      'http://0x7f.0.0.1/v2/',
      'http://0177.0.0.1:5000/v2/',
      'http://010.0.0.1:5000/v2/',
      'https://a.9b/v2/',
      'https://reg.example.com./v2/',
      'not a url',
    ];
    for (const url of urls) {
      let expected: string;
      try {
        expected = new URL(url).origin;
      } catch {
        expected = 'm0.example.com'; // no URL: the reference's host
      }
      const line = renderImageText([attempt(0, { steps: [{ step: 'ping', ok: true, url, durationMs: 1 }] })]).split('\n')[1]!;
      expect(line.split('  ').map((f) => f.trim())).toContain(expected);
    }
  });
});
