/** The input forms at their edges: a logrus line wrapped by a terminal, a cut-off logrus value, retries only. */
import { describe, expect, it } from 'vitest';
import { parseErrorText } from '../../src/explain/parse.ts';
import { goUnquote, readGoQuoted } from '../../src/explain/go-unquote.ts';

const CHAIN =
  '(Mirrors also failed: [m.example.com/a/b:1: reading manifest 1 in m.example.com/a/b: manifest unknown]): q.example.com/a/b:1: pinging container registry q.example.com: Get "https://q.example.com/v2/": dial tcp 10.0.0.1:443: connect: connection refused';
const logrus = (level: string, msg: string) => `time="2026-12-07T20:03:02Z" level=${level} msg=${JSON.stringify(msg)}`;

describe('Go quoting', () => {
  it('undoes %q escapes and keeps a cut-off escape as written', () => {
    expect(goUnquote(String.raw`a\"b\\c\nd\x41\u00e9`)).toBe('a"b\\c\ndAé');
    expect(goUnquote(String.raw`tail\x4`)).toBe(String.raw`tail\x4`);
    expect(readGoQuoted('"abc', 0)).toEqual({ value: 'abc', end: 4, truncated: true });
  });
});

describe('logrus input', () => {
  it('a fatal line wrapped by the terminal at 80 columns reads as the whole line', () => {
    const line = logrus('fatal', `Error parsing image name "docker://q.example.com/a/b:1": ${CHAIN}`);
    const wrapped = line.match(/.{1,80}/g)!.join('\n');
    const p = parseErrorText(wrapped);
    expect(p).toHaveLength(1);
    expect(p[0]!.attempts.map((a) => [a.reference, a.errorClass])).toEqual([
      ['m.example.com/a/b:1', 'not-found'],
      ['q.example.com/a/b:1', 'refused'],
    ]);
  });

  it('a value cut off before its closing quote is read as far as it goes, and marked', () => {
    const line = logrus('fatal', `Error parsing image name "docker://q.example.com/a/b:1": ${CHAIN}`);
    const p = parseErrorText(line.slice(0, line.indexOf('dial tcp')))[0]!;
    expect(p.truncated).toBe(true);
    expect(p.attempts.map((a) => [a.reference, a.errorClass, a.truncated])).toEqual([
      ['m.example.com/a/b:1', 'not-found', false],
      ['q.example.com/a/b:1', 'other', true],
    ]);
  });

  it('podman retries without the final line: the last retry is the error', () => {
    const lines = [1, 2].map((n) => logrus('warning', `Failed, retrying in 1s ... (${n}/3). Error: initializing source docker://q.example.com/a/b:1: ${CHAIN}`));
    const p = parseErrorText(lines.join('\n'))[0]!;
    expect(p.retries).toBe(2);
    expect(p.attempts).toHaveLength(2);
  });
});

describe('line joins', () => {
  it('a wrap inside a word is rejoined without a space; one between words with one', () => {
    const text = `Failed to pull image "q.example.com/a/b:1": rpc error: code = Unknown desc = ${CHAIN}`;
    const midWord = text.replace('connection refused', 'connec\n   tion refused');
    expect(parseErrorText(midWord)[0]!.attempts.at(-1)!.errorClass).toBe('refused');
    const betweenWords = text.replace('reading manifest 1 in', 'reading manifest\n   1 in');
    const p = parseErrorText(betweenWords)[0]!;
    expect(p.lineJoin).toBe('spaces');
    expect(p.attempts[0]!.errorClass).toBe('not-found');
  });
});
