import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, formatRate } from '../../../cli/tui/format/numbers.ts';
import { bar, sparkline } from '../../../cli/tui/format/sparkline.ts';

describe('number formatters', () => {
  it.each([
    [0, '0ms'],
    [12.4, '12ms'],
    [999, '999ms'],
    [1000, '1.0s'],
    [12_345, '12.3s'],
    [125_000, '2m05s'],
    [null, '–'],
    [Number.NaN, '–'],
  ])('formatMs(%j) is %j', (ms, out) => expect(formatMs(ms)).toBe(out));

  it.each([
    [0, '0%'],
    [0.005, '0.5%'],
    [0.985, '99%'],
    [1, '100%'],
    [null, '–'],
  ])('formatPercent(%j) is %j', (f, out) => expect(formatPercent(f)).toBe(out));

  it.each([
    [2.5, '2.5/s'],
    [123.4, '123/s'],
    [1500, '1.5k/s'],
  ])('formatRate(%j) is %j', (r, out) => expect(formatRate(r)).toBe(out));
});

describe('sparkline and bar', () => {
  it('scales values to their maximum', () => {
    expect(sparkline([0, 5, 10], 3)).toBe('▁▅█');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
  });
  it('shows the most recent values and pads on the left', () => {
    expect(sparkline([10, 1, 2, 3, 4], 3)).toBe('▅▆█'); // 10 is older than the window, so 4 is the top
    expect(sparkline([4], 3)).toBe('  █');
  });
  it('fills a bar in proportion, clamped to 0..1', () => {
    expect(bar(0.5, 8)).toBe('████░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(bar(-1, 4)).toBe('░░░░');
  });
});
