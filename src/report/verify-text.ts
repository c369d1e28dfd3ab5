/**
 * `pullpath verify` as text: one line per image as it finishes, then the summary table
 * (passed, missing, by reason, by mirror). Pure: verdicts in, strings out.
 */
import type { VerifyReason, VerifySummary, VerifyVerdict } from '../verify/verdict.ts';
import { textTable } from './text-table.ts';
import { FIX_TEXT, VERIFY_REASON_TOPIC, type FixTopic } from './what-to-do.ts';

/** What to do about each reason, for the summary: the same words resolve and pull use (what-to-do.ts). */
export const REASON_HELP = Object.fromEntries(
  (Object.entries(VERIFY_REASON_TOPIC) as [VerifyReason, FixTopic][]).map(([reason, topic]) => [reason, FIX_TEXT[topic]]),
) as Record<VerifyReason, string>;

export function formatVerdictLine(v: VerifyVerdict): string {
  if (!v.ok) return `FAIL  ${v.image}  ${v.reason}: ${v.detail}`;
  // Which credentials the serving mirror got, when it got any (a FAIL's detail says it for a 401/403).
  const creds = v.attempts.find((a) => a.outcome === 'ok' && a.reference === v.mirror)?.credentials;
  const used = creds && creds.kind !== 'none' && creds.kind !== 'no-creds' ? `  (credentials: ${creds.text})` : '';
  return `PASS  ${v.image}  via ${v.endpoint}${v.byDigest ? '' : ' (by tag)'}${used}`;
}

export function formatVerifySummary(s: VerifySummary): string {
  const lines = [`${s.total} image(s): ${s.passed} served by a mirror, ${s.failed} would not be`];
  const reasons = Object.entries(s.byReason) as [VerifyReason, number][];
  if (reasons.length > 0) {
    lines.push('', textTable(['REASON', 'IMAGES', 'WHAT TO DO'], reasons.sort((a, b) => b[1] - a[1]).map(([r, n]) => [r, String(n), REASON_HELP[r]]), '  '));
  }
  const mirrors = Object.entries(s.byMirror);
  if (mirrors.length > 0) {
    lines.push('', textTable(['MIRROR', 'IMAGES SERVED'], mirrors.sort((a, b) => b[1] - a[1]).map(([m, n]) => [m, String(n)]), '  '));
  }
  return lines.join('\n');
}
