/** The hand-written domain check must accept exactly what the grammar's domain regexp accepts. */
import { describe, expect, it } from 'vitest';
import { isDomain } from '../../src/reference/domain.ts';
import { anchoredDomainRegexp } from '../../src/reference/grammar.ts';

describe('isDomain', () => {
  const samples = [
    'example.com', 'EXAMPLE.com', 'a', 'a-b', '-a', 'a-', 'a.b.c', 'a..b', '.a', 'a.', 'localhost', 'localhost:5000',
    'a:', ':5000', 'a:50a', 'a:5000:1', '127.0.0.1:5000', 'xn--n3h.com', 'a_b.com', '[::1]:5000', 'a.-b', 'a.b-.c',
    '', 'reg000.example.com', 'foo.bar.example.com:5000',
  ];
  it.each(samples)('%j agrees with the regexp', (s) => {
    expect(isDomain(s)).toBe(anchoredDomainRegexp.test(s));
  });

  it('agrees on random strings over the domain alphabet', () => {
    const alphabet = 'aZ9-.:_/';
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = Math.floor(rand() * 8);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect([s, isDomain(s)]).toEqual([s, anchoredDomainRegexp.test(s)]);
    }
  });
});
