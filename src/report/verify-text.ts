/**
 * `pullpath verify` as text: one line per image as it finishes, then the summary table
 * (passed, missing, by reason, by mirror). Pure: verdicts in, strings out.
 */
import type { VerifyReason, VerifySummary, VerifyVerdict } from '../verify/verdict.ts';
import { textTable } from './text-table.ts';

/** What each reason means and what to do about it, for the summary. */
export const REASON_HELP: Record<VerifyReason, string> = {
  'invalid-reference': 'the reference does not parse: fix the list',
  'resolution-error': 'the config cannot resolve it (short name, rewrite error)',
  'no-mirror': 'no mirror configured for it: add a mirror (IDMS/ITMS) for its repository',
  'tag-on-digest-only': 'asked by tag, mirrors are digest-only: pin by digest or add a tag mirror (ITMS)',
  blocked: 'every source is blocked in registries.conf',
  'not-mirrored': 'the mirror does not have it: mirror the image (oc-mirror, skopeo copy)',
  auth: 'the mirror refused the credentials: check auth.json for the mirror host',
  unreachable: 'the mirror did not answer: check the host, port, TLS and insecure settings',
  'not-a-registry': 'something other than a registry answered (proxy login, web page)',
  'digest-mismatch': 'the mirror served different content than the digest: re-mirror it',
  'mirror-error': 'the mirror answered with an error (5xx, 429, …)',
  'blobs-missing': 'the manifest is mirrored but blobs are missing: the pull would fail mid-way',
  policy: 'rejected by policy.json (judged on the image as asked for): the runtime refuses to run it',
  'source-only': 'only the source served it: a disconnected cluster would fail',
  cancelled: 'the run was stopped before a mirror answered: run it again',
};

export function formatVerdictLine(v: VerifyVerdict): string {
  return v.ok ? `PASS  ${v.image}  via ${v.endpoint}${v.byDigest ? '' : ' (by tag)'}` : `FAIL  ${v.image}  ${v.reason}: ${v.detail}`;
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
