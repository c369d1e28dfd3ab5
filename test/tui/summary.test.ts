import { describe, expect, it } from 'vitest';
import { reducePullEvents } from '../../cli/tui/state/pull-reducer.ts';
import { initialPullState } from '../../cli/tui/state/pull-state.ts';
import { formatPullSummary, summarizePull } from '../../cli/tui/summary.ts';
import { imagePull, syntheticRun } from '../fixtures/tui/pull-events.ts';

describe('pull summary', () => {
  it('counts images, lists failures with the runtime error, and reports expectations', () => {
    const state = reducePullEvents(initialPullState(), syntheticRun(14));
    const exps = [{ name: 'served by mirrors', met: false, detail: '2 images reached quay.io' }, { name: 'x', met: true }];
    const s = summarizePull(state, exps, false, 2500);
    expect(s).toMatchObject({ images: 14, ok: 12, failed: 2, unfinished: 0, cancelled: false, expectations: { met: 1, notMet: 1, pending: 0, total: 2 } });
    const text = formatPullSummary(s, 100, exps).split('\n');
    expect(text[0]).toBe('done after 2.5s: 14 images, 12 ok, 2 failed · 30 attempts · 12 failed over');
    expect(text[1]).toMatch(/^ {2}✗ quay\.io\/org\/app-0006:1\.6: \(Mirrors also failed: \[mirror1/);
    expect(text.at(-2)).toBe('expectations: 1/2 met, 1 not met');
    expect(text.at(-1)).toBe('  ✗ served by mirrors — 2 images reached quay.io');
  });

  it('says cancelled and counts unfinished images', () => {
    const events = imagePull('quay.io/org/a:1', 'a:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok' }]).slice(0, 2);
    const s = summarizePull(reducePullEvents(initialPullState(), events), [], true, 900);
    expect(formatPullSummary(s)).toBe('cancelled after 900ms: 1 image, 0 ok, 0 failed, 1 unfinished · 0 attempts · 0 failed over');
  });
});
