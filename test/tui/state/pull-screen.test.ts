import { describe, expect, it } from 'vitest';
import { attemptChainLines } from '../../../cli/tui/state/attempt-chain-layout.ts';
import { imageRowLine, sourceText } from '../../../cli/tui/state/image-row-layout.ts';
import { lineText } from '../../../cli/tui/state/line.ts';
import { reducePullEvents } from '../../../cli/tui/state/pull-reducer.ts';
import { expectationLines, fitParts, pullScreen, skippedLines, type ScreenContext } from '../../../cli/tui/state/pull-screen.ts';
import { initialPullState } from '../../../cli/tui/state/pull-state.ts';
import { initialViewState } from '../../../cli/tui/state/view-reducer.ts';
import { imagePull, syntheticRun } from '../../fixtures/tui/pull-events.ts';
import type { ImageStartEvent } from '../../../src/events/pull-events.ts';

const ctx = (over: Partial<ScreenContext> = {}): ScreenContext => ({ width: 80, height: 23, now: 0, elapsedMs: 1234, tick: 0, phase: 'done', ...over });
const LONG = 'quay.io/org/team/a-very-long-repository-name-that-cannot-fit/component:1.4.2-rc1';

describe('image rows', () => {
  it('fill the width exactly and shorten a long image name in the middle', () => {
    const s = reducePullEvents(initialPullState(), imagePull(LONG, 'x:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok' }]));
    const text = lineText(imageRowLine(s.images.get(LONG)!, { width: 80, selected: true, now: 0, tick: 0 }));
    expect(text).toHaveLength(80);
    expect(text.startsWith('› ✓ quay.io/org/')).toBe(true);
    expect(text).toContain('…');
    expect(text).toContain('1.4.2-rc1');
  });

  it('say which source is being tried while an attempt is in flight', () => {
    const events = imagePull('quay.io/org/app:1', 'app:1', [
      { location: 'mirror1.example.com/org', mirror: true, outcome: 'failed' },
      { location: 'quay.io/org', mirror: false, outcome: 'ok' },
    ]);
    const s = reducePullEvents(initialPullState(), events.slice(0, 4)); // image, mirror failed, primary started
    expect(sourceText(s.images.get('quay.io/org/app:1')!, 60)).toBe('primary 2/2 quay.io/org/app:1');
  });
});

describe('attempt chain', () => {
  const events = imagePull('quay.io/org/app:1.4', 'app:1.4', [
    { location: 'mirror1.example.com:5000/org', mirror: true, outcome: 'failed', httpStatus: 503, error: 'reading manifest 1.4 in mirror1.example.com:5000/org/app: received unexpected HTTP status: 503 Service Unavailable' },
    { location: 'quay.io/org', mirror: false, outcome: 'ok', httpStatus: 200 },
  ]);
  const img = reducePullEvents(initialPullState(), events).images.get('quay.io/org/app:1.4')!;

  it('shows the matched entry with file:line, each attempt with status and failed step, and the verdict', () => {
    const text = attemptChainLines(img, { width: 100, fullError: false }).map(lineText);
    expect(text[0]).toBe('    matched [[registry]] "quay.io/org" at /etc/containers/registries.conf.d/50-mirrors.conf:7');
    expect(text[1]).toMatch(/#\s+source\s+reference\s+outcome\s+HTTP\s+time step/);
    expect(text[2]).toMatch(/^ {4}1 {2}mirror {2}mirror1\.example\.com:5000\/org\/app:1\.4\s+failed\s+503\s+10ms manifest$/);
    expect(text[3]).toMatch(/↳ via mirror1\.example\.com:5000\/org: reading manifest 1\.4 in .*…$/);
    expect(text[4]).toMatch(/^ {4}2 {2}primary quay\.io\/org\/app:1\.4\s+ok\s+200\s+10ms $/);
    expect(text.at(-2)).toBe('    → pulled from quay.io/org/app:1.4 (source 2)');
    expect(text.at(-1)).toMatch(/^ {6}sha256:5a4a8a3d0f2e1b7c9d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a4bbe$/);
    for (const l of text) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('shows the signature step: where signatures were looked for, and why they were rejected', () => {
    const rejected = events.map((e) =>
      e.type === 'result'
        ? {
            ...e,
            ok: false,
            error: 'Source image rejected: A signature was required, but no signature exists',
            errorClass: 'signature-missing' as const,
            signatures: {
              ok: false,
              lookedIn: ['quay.io/org/app:sha256-5a.sig'],
              checks: [{ requirement: 'sigstoreSigned' as const, ok: false, errorClass: 'signature-missing' as const, error: 'A signature was required, but no signature exists', signaturesFound: 0, from: [], detail: '' }],
            },
          }
        : e,
    );
    const r = reducePullEvents(initialPullState(), rejected).images.get('quay.io/org/app:1.4')!;
    const text = attemptChainLines(r, { width: 100, fullError: false }).map(lineText).join('\n');
    expect(text).toContain('    signatures REJECTED: looked for in quay.io/org/app:sha256-5a.sig');
    expect(text).toContain('      sigstoreSigned: signature-missing: A signature was required, but no signature exists');
  });

  it('shows an attempt warning (a lying Docker-Content-Digest) under a successful attempt', () => {
    const warned = events.map((e) => (e.type === 'attempt' && e.outcome === 'ok' ? { ...e, notes: ['warning: Docker-Content-Digest sha256:00 does not match the manifest received (sha256:5a)', 'not a warning'] } : e));
    const w = reducePullEvents(initialPullState(), warned).images.get('quay.io/org/app:1.4')!;
    const text = attemptChainLines(w, { width: 100, fullError: false }).map(lineText).join('\n');
    expect(text).toContain('warning: Docker-Content-Digest sha256:00 does not match');
    expect(text).not.toContain('not a warning');
  });

  it('wraps the whole error when full errors are on', () => {
    const short = attemptChainLines(img, { width: 80, fullError: false }).map(lineText).join('\n');
    const full = attemptChainLines(img, { width: 80, fullError: true }).map(lineText).join('\n');
    expect(short).not.toContain('Service Unavailable');
    expect(full.replace(/\s+/g, ' ')).toContain('received unexpected HTTP status: 503 Service Unavailable');
    for (const l of full.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('gives the endpoint its own column on wide terminals', () => {
    const text = attemptChainLines(img, { width: 140, fullError: false }).map(lineText);
    expect(text[1]).toMatch(/reference\s+endpoint\s+outcome/);
    expect(text[2]).toContain('mirror1.example.com:5000/org  ');
    expect(text.join('\n')).not.toContain('via ');
  });

  it('lists skipped mirrors with the reason and origin, and says when nothing matched', () => {
    const s = reducePullEvents(initialPullState(), [
      { type: 'image', image: 'x.io/a:1', at: 0, normalized: 'x.io/a:1', registry: null, plan: [], skipped: [{ location: 'm.example.com', reason: 'digest-only mirror, tag reference', origin: 'r.conf:9' }], error: null },
    ]);
    const text = attemptChainLines(s.images.get('x.io/a:1')!, { width: 80, fullError: false }).map(lineText);
    expect(text).toContain('    no [[registry]] entry matched: pulled as is');
    expect(text).toContain('    skipped m.example.com: digest-only mirror, tag reference (r.conf:9)');
  });
});

describe('pullScreen', () => {
  const big = reducePullEvents(initialPullState(), syntheticRun(1000));

  it('lays out only the visible window of 1,000 images and counts the rest', () => {
    const screen = pullScreen(big, initialViewState({ selected: 'quay.io/org/app-0500:1.0' }), [], ctx());
    expect(screen.rows.length).toBeLessThan(23);
    expect(screen.rows.some((r) => r.selected && r.key === 'quay.io/org/app-0500:1.0')).toBe(true);
    expect(screen.above + screen.rows.length + screen.below).toBe(1000);
    expect(screen.above).toBeGreaterThan(400);
  });

  it('never uses more lines than the height, with details, expectations, header and footer', () => {
    for (const height of [10, 16, 23, 40]) {
      const screen = pullScreen(big, initialViewState({ expanded: true, fullError: true, selected: 'quay.io/org/app-0006:1.6' }), [
        { name: 'one', met: true },
        { name: 'two', met: false },
      ], ctx({ height }));
      const lines = 1 + 2 + screen.rows.length + screen.detail.length + screen.expectations.length + screen.footer.length;
      expect(lines).toBeLessThanOrEqual(height);
      expect(screen.rows.some((r) => r.selected)).toBe(true);
    }
  });

  it('filters to failed images and says so in the header', () => {
    const screen = pullScreen(big, initialViewState({ failuresOnly: true }), [], ctx());
    expect(screen.keys).toHaveLength(142); // every 7th of 1,000 fails
    expect(lineText(screen.header)).toContain('failures only (142 of 1000)');
    for (const r of screen.rows) expect(lineText(r.line)).toContain('✗');
  });

  it('keeps every footer part whole, dropping the ones that do not fit', () => {
    expect(fitParts(['1.2s · 3 images', '9 attempts', '2 failed over'], 30)).toBe('1.2s · 3 images · 9 attempts');
  });

  it('puts unmet expectations first and caps the list', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ name: `e${i}`, met: i !== 6 }));
    const text = expectationLines(many, 80).map(lineText);
    expect(text[0]).toBe('expectations: 7/8 met, 1 not met');
    expect(text[1]).toBe('  ✗ e6');
    expect(text.at(-1)).toBe('  … 4 more');
    expect(text).toHaveLength(6);
  });
});

describe('skipped mirrors', () => {
  const skippedPull = (image: string, skipped: { location: string; reason: string }[]) => {
    const events = imagePull(image, 'app:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok' }]);
    (events[0] as ImageStartEvent).skipped = skipped;
    return events;
  };
  const DIGEST_ONLY = { location: 'mirror.example.com/org', reason: 'digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only")' };
  const TAG_ONLY = { location: 'tags.example.com/org', reason: 'tag-only mirror skipped for a digest reference (pull-from-mirror = "tag-only")' };

  it('are one note per mirror and reason, counted over images, wrapped under the width', () => {
    const s = reducePullEvents(initialPullState(), [
      ...skippedPull('quay.io/org/a:1', [DIGEST_ONLY]),
      ...skippedPull('quay.io/org/b:1', [DIGEST_ONLY]),
      ...skippedPull('quay.io/org/c@sha256:aa', [TAG_ONLY]),
    ]);
    expect(s.skips.map((n) => [n.location, n.images])).toEqual([['mirror.example.com/org', 2], ['tags.example.com/org', 1]]);
    const lines = skippedLines(s, 50, 10).map(lineText);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(
      '! skipped mirror.example.com/org (2 of 3 images): digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only") ' +
        '! skipped tags.example.com/org (1 of 3 images): tag-only mirror skipped for a digest reference (pull-from-mirror = "tag-only")',
    );
  });

  it('that do not fit are counted on one line, never cut', () => {
    const s = reducePullEvents(initialPullState(), [...skippedPull('quay.io/org/a:1', [DIGEST_ONLY]), ...skippedPull('quay.io/org/c@sha256:aa', [TAG_ONLY])]);
    const lines = skippedLines(s, 50, 5).map(lineText);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.at(-1)).toBe('! 1 more skipped mirror(s) · enter on an image');
    expect(lines.slice(0, -1).join(' ')).toContain('(pull-from-mirror = "digest-only")');
    // On the screen they sit between the rows and the footer.
    expect(pullScreen(s, initialViewState(), [], ctx()).skipped.map(lineText)[0]).toMatch(/^! skipped mirror\.example\.com\/org \(1 of 2 images\): digest-only/);
  });
});
