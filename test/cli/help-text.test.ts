/** fitHelp wraps help to a width without losing a word, and keeps descriptions under their column. */
import { describe, expect, it } from 'vitest';
import { fitHelp } from '../../cli/help-text.ts';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

describe('fitHelp', () => {
  it('leaves help that fits as written', () => {
    const help = 'Usage: pullpath x [--a]\n\nFlags:\n  --a        one\n             two\n';
    expect(fitHelp(help, 80)).toBe(help);
  });

  it('reflows a long entry under its description column, losing no word', () => {
    const long = 'word '.repeat(30).trim();
    const help = `Flags:\n  --flag VALUE     ${long}\n                   ${long}\n  --next           short\n`;
    const out = fitHelp(help, 60);
    const lines = out.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines[1]!.startsWith('  --flag VALUE     word')).toBe(true);
    for (const l of lines.slice(2, -1)) expect(l.startsWith(' '.repeat(19) + 'word')).toBe(true);
    expect(lines.at(-1)).toBe('  --next           short');
    expect(words(out)).toEqual(words(help));
  });

  it('reflows prose and usage lines, and splits a word longer than a line', () => {
    const help = `Usage: pullpath cmd ${'[--flag-name VALUE] '.repeat(8).trim()}\n\n${'text '.repeat(40).trim()}\n\nMetrics:\n  --m     ${'metric_name_total{a,b},'.repeat(5)}\n`;
    const out = fitHelp(help, 50);
    for (const l of out.split('\n')) expect(l.length).toBeLessThanOrEqual(50);
    expect(out.replace(/\s+/g, '')).toBe(help.replace(/\s+/g, ''));
    expect(out.split('\n')[1]!.startsWith(' '.repeat('Usage: pullpath cmd '.length) + '[')).toBe(true);
  });
});
