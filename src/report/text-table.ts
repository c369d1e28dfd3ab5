/**
 * Aligned plain-text columns for the text reports (no colours: text output goes to pipes and files).
 * A table fits TEXT_WIDTH (80) columns: when its natural width is more, the widest text columns (never
 * the first, which names the row, unless nothing else gives) are narrowed and their cells wrapped at
 * spaces onto more lines; values are never cut and words never broken. When even that cannot fit (many
 * columns, long names), each row is printed as a record: its first cell, then `header value` pairs
 * wrapped beneath it.
 */
import { NBSP, wordsOf, wrapText, wrapWords } from './wrap.ts';

export const TEXT_WIDTH = 80;

/** A column is not narrowed below this, nor below its longest word: words are never broken in a table. */
const MIN_COLUMN = 6;

export function textTable(header: string[], rows: string[][], indent = '', maxWidth = TEXT_WIDTH): string {
  const cols = header.length;
  const cell = (r: string[], i: number): string => r[i] ?? '';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => cell(r, i).length)));
  const total = (w: number[]): number => indent.length + w.reduce((a, b) => a + b, 0) + 2 * (cols - 1);
  const line = (cells: string[], w: number[]): string =>
    indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  if (total(widths) <= maxWidth) return [line(header, widths), ...rows.map((r) => line(r, widths))].join('\n');

  const mins = header.map((h, i) => Math.min(widths[i]!, Math.max(MIN_COLUMN, ...wordsOf(h).map((w) => w.length), ...rows.map((r) => longestWord(cell(r, i))))));
  const w = [...widths];
  while (total(w) > maxWidth) {
    // The first column names the row: it is narrowed only when no other column can give more room.
    let widest = -1;
    for (let i = 1; i < cols; i++) if (w[i]! > mins[i]! && (widest < 0 || w[i]! > w[widest]!)) widest = i;
    if (widest < 0 && w[0]! > mins[0]!) widest = 0;
    if (widest < 0) return records(header, rows, indent, maxWidth);
    w[widest]!--;
  }
  const wrapped = (cells: string[]): string[] => {
    const parts = header.map((_, i) => wrapText(cell(cells, i), w[i]!));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, k) => line(parts.map((p) => p[k] ?? ''), w));
  };
  return [...wrapped(header), ...rows.flatMap(wrapped)].join('\n');
}

function longestWord(text: string): number {
  return Math.max(0, ...wordsOf(text).map((w) => w.length));
}

/** Each row as its first cell, then `HEADER value` pairs, for tables too wide to wrap in columns. */
function records(header: string[], rows: string[][], indent: string, maxWidth: number): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push(...wrapWords(wordsOf(r[0] ?? ''), indent, indent + '    ', maxWidth));
    const pairs = header.slice(1).map((h, i) => `${h.toLowerCase()}${NBSP}${(r[i + 1] ?? '') || '-'}${i < header.length - 2 ? ',' : ''}`);
    // A pair is one word when it fits on a line, so a value stays beside its name.
    const words = pairs.flatMap((p) => (p.length <= maxWidth - indent.length - 4 ? [p.replaceAll(' ', NBSP)] : wordsOf(p)));
    out.push(...wrapWords(words, indent + '    ', indent + '    ', maxWidth));
  }
  return out.join('\n');
}

/** `12.3 ms`, `1.24 s`: durations as people read them. */
export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}
