/**
 * `pullpath diff` as text: one block per changed image (sources with +/-/~ marks, entries, skipped mirrors,
 * short-name candidates, policy verdicts), the count of unchanged images, then the node impact. Lines are
 * wrapped to 80 columns. Pure.
 */
import type { DiffOutcome, DiffResult, DiffSource, ImageChange, NodeAction } from '../diff/types.ts';
import { wordsOf, wrapWords } from './wrap.ts';

const WIDTH = 80;

/** `+` added, `-` removed, `~` reordered, ` ` unchanged. */
export const MARK_SIGN: Record<DiffSource['mark'], string> = { same: ' ', added: '+', removed: '-', reordered: '~' };

export const ACTION_WORDS: Record<NodeAction, string> = {
  none: 'nothing (no node action)',
  reload: 'CRI-O reload, no drain, no reboot',
  restart: 'service restart, no drain, no reboot',
  'drain-reload': 'drain, then CRI-O reload (no reboot)',
  'drain-reboot': 'drain and reboot',
};

/** Digests shortened for reading (`sha256:0123456789ab…`); JSON keeps them whole. */
export function shortDigests(text: string): string {
  return text.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1…');
}

function wrap(text: string, indent: string, width = WIDTH): string[] {
  return wrapWords(wordsOf(shortDigests(text)), indent, `${indent}  `, width);
}

/** The entry without where it is written: same words on both sides means the same entry. */
export function entryKey(o: DiffOutcome): string {
  return o.registry === null ? '' : JSON.stringify({ ...o.registry, origin: '' });
}

export function entryWords(o: DiffOutcome): string {
  if (o.registry === null) return 'no [[registry]] entry (pulled as is)';
  const flags = [o.registry.blocked ? 'blocked' : '', o.registry.insecure ? 'insecure' : '', o.registry.mirrorByDigestOnly ? 'mirror-by-digest-only' : ''].filter(Boolean);
  return `"${o.registry.prefix}"${flags.length > 0 ? ` (${flags.join(', ')})` : ''} at ${o.registry.origin}`;
}

export function sourceWords(s: DiffSource): string {
  const pos = s.mark === 'removed' ? `was ${s.before}` : s.mark === 'reordered' ? `${s.before} → ${s.after}` : `${s.after}`;
  const notes: string[] = [s.mirror ? 'mirror' : 'primary'];
  if (s.blockedBefore !== s.blockedAfter && s.blockedBefore !== null && s.blockedAfter !== null) notes.push(s.blockedAfter ? 'now BLOCKED' : 'no longer blocked');
  else if (s.blockedAfter === true || (s.mark === 'removed' && s.blockedBefore === true)) notes.push('blocked');
  if (s.insecureBefore !== s.insecureAfter && s.insecureBefore !== null && s.insecureAfter !== null) notes.push(s.insecureAfter ? 'now insecure' : 'now verified TLS');
  else if (s.insecureAfter === true || (s.mark === 'removed' && s.insecureBefore === true)) notes.push('insecure');
  return `${pos}. ${s.reference} (${notes.join(', ')})`;
}

export function policyWords(o: DiffOutcome): string | null {
  if (o.policy === undefined) return null;
  const v = o.policy.allowed === true ? 'allowed' : o.policy.allowed === false ? 'REJECTED' : 'needs a signature';
  return `${v} by scope ${JSON.stringify(o.policy.scope)}`;
}

function imageBlock(c: ImageChange): string[] {
  const lines: string[] = [];
  const name = c.normalized !== null && c.normalized !== c.image ? `${c.image} (${c.normalized})` : c.image;
  lines.push(...wrap(`${name}: ${c.changes.join(', ')}`, ''));
  const eb = entryWords(c.before);
  const ea = entryWords(c.after);
  if (eb === ea) lines.push(...wrap(`entry: ${ea}`, '  '));
  else if (c.before.registry !== null && entryKey(c.before) === entryKey(c.after)) {
    lines.push(...wrap(`entry: ${ea.slice(0, ea.lastIndexOf(' at '))} (before at ${c.before.registry.origin})`, '  '));
  } else {
    lines.push(...wrap(`entry before: ${eb}`, '  '));
    lines.push(...wrap(`entry after:  ${ea}`, '  '));
  }
  if (c.sources.length > 0) {
    lines.push('  sources (after, in try order; + added, - removed, ~ reordered):');
    for (const s of c.sources) lines.push(...wrapWords(wordsOf(shortDigests(sourceWords(s))), `    ${MARK_SIGN[s.mark]} `, '        ', WIDTH));
  }
  const skip = (o: DiffOutcome) => o.skipped.map((k) => `${k.location} (${k.kind ?? k.reason})`).join(', ') || 'none';
  if (skip(c.before) !== skip(c.after)) {
    lines.push(...wrap(`skipped before: ${skip(c.before)}`, '  '));
    lines.push(...wrap(`skipped after:  ${skip(c.after)}`, '  '));
  }
  const cand = (o: DiffOutcome) => (o.candidates ?? []).join(', ') || 'none';
  if (c.before.candidates !== undefined || c.after.candidates !== undefined) {
    if (cand(c.before) !== cand(c.after)) {
      lines.push(...wrap(`candidates before: ${cand(c.before)}`, '  '));
      lines.push(...wrap(`candidates after:  ${cand(c.after)}`, '  '));
    } else lines.push(...wrap(`candidates: ${cand(c.after)}`, '  '));
  }
  const pb = policyWords(c.before);
  const pa = policyWords(c.after);
  if (pb !== pa) lines.push(...wrap(`policy: ${pb ?? 'no policy'} → ${pa ?? 'no policy'}`, '  '));
  else if (pa !== null && c.after.policy?.allowed === false) lines.push(...wrap(`policy: ${pa}`, '  '));
  if (c.before.error !== c.after.error) {
    if (c.before.error !== null) lines.push(...wrap(`error before: ${c.before.error}`, '  '));
    if (c.after.error !== null) lines.push(...wrap(`error after: ${c.after.error}`, '  '));
  }
  return lines;
}

export function formatDiffText(r: DiffResult): string {
  const out: string[] = [];
  for (const c of r.changed) out.push(...imageBlock(c), '');
  const what = r.synthetic ? 'synthetic images (one per prefix and mirror, tag and digest form)' : 'images';
  out.push(...wrap(`${r.changed.length} of ${r.total} ${what} change; ${r.unchanged} unchanged.`, ''));
  if (r.impact === null) out.push('Node files: no change (nothing for the MCO to do).');
  else {
    out.push(...wrap(`Node impact (MCO rules for OpenShift ${r.impact.ocpVersion}): ${ACTION_WORDS[r.impact.action]}`, ''));
    for (const f of r.impact.files) out.push(...wrap(`${f.change} ${f.path}: ${f.why}`, '  '));
  }
  if (r.live !== undefined) {
    const broken = r.live.filter((l) => l.regression).length;
    out.push(...wrap(`Live pulls (${r.live.length} changed images, through both sides): ${broken} work today and fail after the change.`, ''));
    for (const l of r.live) out.push(...wrap(`${l.regression ? 'BREAKS' : l.after.ok ? 'ok' : 'fails'} ${l.image}: before ${livePullWords(l.before)}; after ${livePullWords(l.after)}`, '  '));
  }
  return out.join('\n') + '\n';
}

export function livePullWords(p: { ok: boolean; source: string | null; error: string | null }): string {
  return p.ok ? `from ${p.source ?? '?'}` : `FAILS: ${p.error ?? 'unknown error'}`;
}
