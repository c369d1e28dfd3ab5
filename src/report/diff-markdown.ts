/**
 * `pullpath diff -o markdown`: a pull-request comment. A summary line, the node impact, then one table
 * row per changed image with its sources diffed in a details block (GitHub renders <details>). Pure.
 */
import type { DiffResult, ImageChange } from '../diff/types.ts';
import { ACTION_WORDS, entryKey, entryWords, livePullWords, MARK_SIGN, policyWords, shortDigests, sourceWords } from './diff-text.ts';

/** Pipes and backticks would break a table cell or a code span. */
function cell(s: string): string {
  return shortDigests(s).replaceAll('|', '\\|').replaceAll('`', "'").replaceAll('\n', ' ');
}

function details(c: ImageChange): string[] {
  const lines = ['```diff', ...c.sources.map((s) => `${MARK_SIGN[s.mark] === '~' ? '!' : MARK_SIGN[s.mark]} ${shortDigests(sourceWords(s))}`), '```'];
  const eb = entryWords(c.before);
  const ea = entryWords(c.after);
  const extra: string[] = [];
  if (entryKey(c.before) !== entryKey(c.after)) extra.push(`- entry: ${cell(eb)} → ${cell(ea)}`);
  const skip = (o: ImageChange['before']) => o.skipped.map((k) => `${k.location} (${k.kind ?? k.reason})`).join(', ') || 'none';
  if (skip(c.before) !== skip(c.after)) extra.push(`- skipped mirrors: ${cell(skip(c.before))} → ${cell(skip(c.after))}`);
  const cand = (o: ImageChange['before']) => (o.candidates ?? []).join(', ') || 'none';
  if (cand(c.before) !== cand(c.after)) extra.push(`- short-name candidates: ${cell(cand(c.before))} → ${cell(cand(c.after))}`);
  const pb = policyWords(c.before);
  const pa = policyWords(c.after);
  if (pb !== pa) extra.push(`- policy: ${pb ?? 'no policy'} → ${pa ?? 'no policy'}`);
  if (c.after.error !== null && c.after.error !== c.before.error) extra.push(`- error after: ${cell(c.after.error)}`);
  return [`<details><summary><code>${cell(c.image)}</code></summary>`, '', ...extra, ...(extra.length > 0 ? [''] : []), ...lines, '', '</details>'];
}

export function formatDiffMarkdown(r: DiffResult): string {
  const out: string[] = ['### pullpath diff', ''];
  const what = r.synthetic ? 'synthetic images (every prefix and mirror, tag and digest form)' : 'images';
  out.push(`**${r.changed.length}** of ${r.total} ${what} change their pull; ${r.unchanged} unchanged.`, '');
  if (r.impact === null) out.push('**Node impact:** no node file changes.', '');
  else {
    out.push(`**Node impact** (MCO, OpenShift ${r.impact.ocpVersion}): **${ACTION_WORDS[r.impact.action]}**`, '');
    out.push('| File | Change | MCO action |', '|---|---|---|');
    for (const f of r.impact.files) out.push(`| \`${f.path}\` | ${f.change} | ${cell(f.why)} |`);
    out.push('');
  }
  if (r.live !== undefined && r.live.length > 0) {
    out.push(`**Live pulls:** ${r.live.filter((l) => l.regression).length} of ${r.live.length} changed images work today and fail after the change.`, '');
    out.push('| Image | Before | After |', '|---|---|---|');
    for (const l of r.live) out.push(`| \`${cell(l.image)}\`${l.regression ? ' ⚠️' : ''} | ${cell(livePullWords(l.before))} | ${cell(livePullWords(l.after))} |`);
    out.push('');
  }
  if (r.changed.length > 0) {
    out.push('| Image | Changes | Entry after |', '|---|---|---|');
    for (const c of r.changed) out.push(`| \`${cell(c.image)}\` | ${c.changes.join(', ')} | ${cell(entryWords(c.after))} |`);
    out.push('');
    for (const c of r.changed) out.push(...details(c), '');
  }
  return out.join('\n');
}
