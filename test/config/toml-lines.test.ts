/** The line scan that gives parsed TOML tables their origins. */
import { describe, expect, it } from 'vitest';
import { normalizeDottedKey, scanTomlSections } from '../../src/config/toml-lines.ts';

describe('scanTomlSections', () => {
  it('finds headers and key lines, skipping comments and multi-line strings', () => {
    const text = [
      'a = 1', // 1
      '# [[registry]] in a comment', // 2
      'b = """', // 3
      '[[registry]]', // 4 (inside the string)
      '"""', // 5
      '[[ registry ]]', // 6
      '"loc ation" = "x"', // 7
      '  [[registry.mirror]]', // 8
      'location = "m"', // 9
      "[ 'aliases' ]", // 10
      '"quay/foo" = "quay.io/foo"', // 11
    ].join('\n');
    const s = scanTomlSections(text);
    expect(s.map((x) => [x.name, x.arrayTable, x.line])).toEqual([
      ['', false, 0],
      ['registry', true, 6],
      ['registry.mirror', true, 8],
      ['aliases', false, 10],
    ]);
    expect([...s[0]!.keys]).toEqual([['a', 1], ['b', 3]]);
    expect(s[1]!.keys.get('loc ation')).toBe(7);
    expect(s[3]!.keys.get('quay/foo')).toBe(11);
  });
  it('normalizes dotted and quoted keys', () => {
    expect(normalizeDottedKey(`a . "b.c" . 'd'`)).toBe('a.b.c.d');
  });
});
