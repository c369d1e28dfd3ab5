/**
 * Fits a command's help to the terminal's width (80 columns at most) by wrapping, never truncating.
 * Help strings are written as blocks: prose paragraphs at column 0, and entries
 * (`  --flag ARG    what it does`, continuation lines indented to the description column). A block that
 * already fits keeps its author's line breaks; one that does not is reflowed inside its own columns, so
 * descriptions stay aligned under their description column.
 */

import { NBSP, wrapWords } from '../src/report/wrap.ts';

export const HELP_WIDTH = 80;

/** An entry's first line: indent, term, a gap of 2+ spaces, description. */
const ENTRY = /^( +)(\S(?:.*?\S)?)( {2,})(\S.*)$/;

export function fitHelp(text: string, width = HELP_WIDTH): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const indent = leading(line);
    if (line.trim() === '') {
      out.push('');
      i++;
      continue;
    }
    if (indent === 0 && line.endsWith(':') && (i === 0 || lines[i - 1]!.trim() === '')) {
      out.push(...fitBlock([line], 0, 2, width)); // a section heading
      i++;
      continue;
    }
    if (indent === 0 && !line.startsWith('Usage:')) {
      // A prose paragraph: consecutive column-0 lines up to a blank line or an indented line.
      // A line ending in ':' introduces what follows, so it ends the paragraph.
      let j = i + 1;
      if (!line.endsWith(':')) {
        while (j < lines.length && lines[j]!.trim() !== '' && leading(lines[j]!) === 0) {
          j++;
          if (lines[j - 1]!.endsWith(':')) break;
        }
      }
      out.push(...fitBlock(lines.slice(i, j), 0, 0, width));
      i = j;
      continue;
    }
    if (line.startsWith('Usage:')) {
      // Usage forms: continuation lines are the ones indented past column 0; wrap under the first argument.
      const hang = /^Usage: +\S+ +\S+ +/.exec(line)?.[0].length ?? 7;
      let j = i + 1;
      while (j < lines.length && leading(lines[j]!) >= hang) j++;
      const block = lines.slice(i, j);
      out.push(...(block.every((l) => l.length <= width) ? block : wrapWords(usageWords(block.join(' '), width - hang), '', ' '.repeat(hang), width)));
      i = j;
      continue;
    }
    const m = ENTRY.exec(line);
    // An entry's description column: after the gap, or (for a term alone on its line) the next line's indent.
    const descCol = m ? m[1]!.length + m[2]!.length + m[3]!.length : i + 1 < lines.length ? leading(lines[i + 1]!) : 0;
    let j = i + 1;
    if (descCol > indent) while (j < lines.length && lines[j]!.trim() !== '' && leading(lines[j]!) >= descCol) j++;
    out.push(...fitEntry(lines.slice(i, j), descCol > indent ? descCol : indent + 2, width));
    i = j;
  }
  return out.join('\n') + '\n';
}

function leading(line: string): number {
  return line.length - line.trimStart().length;
}

/** Lines unchanged when every one fits; otherwise the words reflowed: first line at `first`, the rest at `hang`. */
function fitBlock(block: string[], first: number, hang: number, width: number): string[] {
  if (block.every((l) => l.length <= width)) return block;
  const words = block.join(' ').trim().split(/\s+/);
  return wrapWords(words, ' '.repeat(first), ' '.repeat(hang), width);
}

/** An entry: the term keeps its place, the description is reflowed under its column. */
function fitEntry(block: string[], descCol: number, width: number): string[] {
  if (block.every((l) => l.length <= width)) return block;
  const first = block[0]!;
  const m = ENTRY.exec(first);
  const head = m ? first.slice(0, descCol) : first;
  const desc = [m ? m[4]! : '', ...block.slice(1).map((l) => l.trim())].join(' ').trim();
  // A description column past half the width leaves too little room: start descriptions deeper, below.
  const col = descCol > width / 2 ? leading(first) + 4 : descCol;
  const words = desc === '' ? [] : desc.split(/\s+/);
  if (!m || col !== descCol) {
    const termLines = head.trimEnd().length <= width ? [head.trimEnd()] : wrapWords(head.trim().split(/\s+/), ' '.repeat(leading(first)), ' '.repeat(leading(first) + 4), width);
    return words.length === 0 ? termLines : [...termLines, ...wrapWords(words, ' '.repeat(col), ' '.repeat(col), width)];
  }
  return wrapWords(words, head, ' '.repeat(col), width);
}

/** Usage words, keeping each `[...]` group on one line (`[--jobs N]`) unless it is wider than `room`. */
function usageWords(text: string, room: number): string[] {
  const words: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of text.trim()) {
    if (ch === ' ' && depth === 0) {
      if (cur !== '') words.push(cur);
      cur = '';
      continue;
    }
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    cur += ch === ' ' ? NBSP : ch;
  }
  if (cur !== '') words.push(cur);
  // A group too wide for a line is split back into its words.
  return words.flatMap((w) => (w.length > room ? w.split(NBSP) : [w]));
}
