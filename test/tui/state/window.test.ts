import { describe, expect, it } from 'vitest';
import { rowWindow } from '../../../cli/tui/state/window.ts';

describe('rowWindow', () => {
  it.each([
    // [total, selected, capacity, start, end]
    [5, 0, 10, 0, 5],
    [1000, 0, 10, 0, 10],
    [1000, 500, 10, 496, 506],
    [1000, 999, 10, 990, 1000],
    [1000, 3, 10, 0, 10],
    [20, 12, 1, 12, 13],
    [20, 5, 0, 5, 5],
  ])('with %i rows, selection %i and room for %i, renders rows %i..%i', (total, selected, capacity, start, end) => {
    const w = rowWindow(total, selected, capacity);
    expect([w.start, w.end]).toEqual([start, end]);
    expect(w.above).toBe(start);
    expect(w.below).toBe(total - end);
  });

  it('always contains the selection when there is room for one row', () => {
    for (let sel = 0; sel < 200; sel += 13) {
      const w = rowWindow(200, sel, 7);
      expect(sel).toBeGreaterThanOrEqual(w.start);
      expect(sel).toBeLessThan(w.end);
      expect(w.end - w.start).toBe(7);
    }
  });
});
