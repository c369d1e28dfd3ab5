import { describe, expect, it } from 'vitest';
import { cell, endEllipsis, middleEllipsis, oneLine, wrapText } from '../../../cli/tui/format/text.ts';

describe('middleEllipsis', () => {
  it.each([
    // [text, width, expected]
    ['quay.io/org/app:1.4', 40, 'quay.io/org/app:1.4'],
    ['quay.io/org/app:1.4', 19, 'quay.io/org/app:1.4'],
    ['quay.io/org/app:1.4', 18, 'quay.io/…g/app:1.4'],
    ['quay.io/org/very/long/repository/name:1.4', 24, 'quay.io/org…ory/name:1.4'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
    ['abcdef', 2, '…f'],
  ])('shortens %j to %i columns as %j', (text, width, expected) => {
    expect(middleEllipsis(text, width)).toBe(expected);
  });

  it('keeps both ends and never exceeds the width', () => {
    const ref = 'mirror.example.com:5000/team/project/component/app@sha256:5a4a8a3d0f2e1b7c9d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a4bbe';
    for (let w = 2; w < ref.length; w += 7) {
      const out = middleEllipsis(ref, w);
      expect(out).toHaveLength(w);
      expect(out).toContain('…');
      expect(ref.startsWith(out.slice(0, out.indexOf('…')))).toBe(true);
      expect(ref.endsWith(out.slice(out.indexOf('…') + 1))).toBe(true);
    }
  });
});

describe('endEllipsis and cell', () => {
  it('marks a cut at the end with …', () => {
    expect(endEllipsis('received unexpected HTTP status', 10)).toBe('received …');
    expect(endEllipsis('short', 10)).toBe('short');
  });
  it('pads to the exact width, left or right aligned, shortening in the middle', () => {
    expect(cell('ok', 5)).toBe('ok   ');
    expect(cell('503', 5, 'right')).toBe('  503');
    expect(cell('mirror.example.com', 9)).toBe('mirr….com');
  });
});

describe('wrapText and oneLine', () => {
  it('wraps at spaces, and mid-word when no space is near', () => {
    expect(wrapText('pinging container registry mirror.example.com: connection refused', 30)).toEqual([
      'pinging container registry',
      'mirror.example.com: connection',
      'refused',
    ]);
    expect(wrapText('sha256:0123456789abcdef', 10)).toEqual(['sha256:012', '3456789abc', 'def']);
  });
  it('flattens a multi-line error to one line', () => {
    expect(oneLine('a\n  b\tc ')).toBe('a b c');
  });
});
