/**
 * `pullpath explain`, text: per error found, the outcome, each attempt in try order (what happened, then the
 * runtime's own words), the chain the configuration gives (when one was given) and what differs, then what
 * to do. Plain lines, no colour; the runtime's error stays whole (it is what users search for).
 */
import type { Explanation } from '../explain/explain.ts';
import { wordsOf, wrapWords } from './wrap.ts';

/** Prose is wrapped to this width; the runtime's own error lines are kept whole (they are what users search for). */
const WIDTH = 80;

function wrap(text: string, first: string, rest: string): string[] {
  return wrapWords(wordsOf(text), first, rest, WIDTH);
}

function indentLines(text: string, indent: string): string[] {
  return text.split('\n').map((l) => indent + l);
}

export function formatExplanationText(e: Explanation): string {
  const p = e.parsed;
  const lines: string[] = [...wrap(e.summary, '', '  ')];
  const from = [p.format, ...p.wrappers].join(', ');
  lines.push(`  read as: ${from}${p.lineJoin !== 'as-written' ? `; wrapped lines ${p.lineJoin === 'spaces' ? 'rejoined with spaces' : 'rejoined'}` : ''}`);
  if (e.attempts.length > 0) lines.push('  attempts, in the order the runtime tried them:');
  e.attempts.forEach((a, i) => {
    lines.push(...wrap(`${a.what}${a.candidate !== undefined ? ` [candidate ${a.candidate + 1}]` : ''}`, `  ${i + 1}. `, '     '));
    lines.push(`     class ${a.errorClass}${a.step ? `, step ${a.step}` : ''}${a.httpStatus !== null ? `, HTTP ${a.httpStatus}` : ''}${a.truncated ? ', cut off' : ''}`);
    lines.push(...indentLines(a.error, '     │ '));
  });
  if (e.afterChoice !== null) {
    lines.push(...wrap(`after the source was chosen: ${e.afterChoice.what}`, '  ', '     '));
    lines.push(`     class ${e.afterChoice.errorClass}${e.afterChoice.step ? `, step ${e.afterChoice.step}` : ''}${e.afterChoice.httpStatus !== null ? `, HTTP ${e.afterChoice.httpStatus}` : ''}`);
    lines.push(...indentLines(e.afterChoice.error, '     │ '));
  }
  if (e.expected !== null) {
    lines.push('  the configuration given would try:');
    if (e.expected.length === 0) lines.push('     nothing (see below)');
    e.expected.forEach((s, i) => lines.push(`  ${i + 1}. ${s.mirror ? 'mirror ' : 'primary'} ${s.reference}${s.blocked ? ' (blocked)' : ''}${s.origin ? `  ${s.origin}` : ''}`));
  }
  if (e.findings.length > 0) {
    lines.push('  notes:');
    for (const f of e.findings) lines.push(...wrap(`${f.subject}: ${f.message}`, '    - ', '      '));
  }
  if (e.whatToDo.length > 0) {
    lines.push('  what to do:');
    for (const f of e.whatToDo) lines.push(...wrap(`${f.subject}: ${f.text}`, '    - ', '      '));
  }
  return lines.join('\n') + '\n';
}
