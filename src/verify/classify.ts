/**
 * Verify's rules, as pure functions: which sources an image may use (`planVerify`), and what the
 * engine's attempts mean for a disconnected cluster (`classifyVerify`). An image passes only when a
 * mirror serves its manifest (and, with --check-blobs, every blob); the source answering is not enough.
 */
import type { AttemptEvent, ErrorClass, ResultEvent } from '../events/pull-events.ts';
import type { PullSource, Resolution } from '../resolve/resolution.ts';
import type { VerifyAttempt, VerifyReason, VerifyVerdict } from './verdict.ts';
import { refusalWords } from '../registry/credential-words.ts';

export interface VerifyPlan {
  /** The sources the engine may try (the primary removed under --no-source). Empty when `verdict` is set. */
  sources: PullSource[];
  noSource: boolean;
  /** Decided without any network access (bad reference, nothing mirrored, all blocked). */
  verdict: VerifyVerdict | null;
}

/** Which error class says what about a mirror; "most advanced" first (a mirror that answered tells more). */
const REASON_OF: Record<ErrorClass, VerifyReason> = {
  'digest-mismatch': 'digest-mismatch',
  unauthorized: 'auth',
  forbidden: 'auth',
  'not-found': 'not-mirrored',
  'not-a-registry': 'not-a-registry',
  'rate-limited': 'mirror-error',
  'server-error': 'mirror-error',
  'http-error': 'mirror-error',
  'too-large': 'mirror-error',
  other: 'mirror-error',
  policy: 'policy',
  config: 'resolution-error',
  refused: 'unreachable',
  proxy: 'proxy',
  dns: 'unreachable',
  tls: 'unreachable',
  'http-to-https': 'unreachable',
  timeout: 'unreachable',
  reset: 'unreachable',
  blocked: 'blocked',
  // A signature verdict comes after a mirror served the image: it is about trust, reported as such.
  'signature-missing': 'signature-missing',
  'signature-invalid': 'signature-invalid',
  'untrusted-key': 'signature-invalid',
  'identity-mismatch': 'identity-mismatch',
  cancelled: 'cancelled',
  credentials: 'auth',
};
// A cancelled attempt says nothing about the mirror: it outranks what the other mirrors said.
const PRIORITY: VerifyReason[] = ['cancelled', 'digest-mismatch', 'auth', 'not-mirrored', 'not-a-registry', 'mirror-error', 'proxy', 'unreachable', 'resolution-error', 'blocked'];

const hasDigest = (ref: string | null): boolean => ref !== null && /@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(ref);

function base(image: string, r: Resolution, noSource: boolean): VerifyVerdict {
  return { type: 'verify', image, normalized: r.normalized, ok: false, reason: null, detail: '', mirror: null, endpoint: null, digest: null, byDigest: hasDigest(r.normalized), noSource, attempts: [], durationMs: 0 };
}

function skippedAttempts(r: Resolution): VerifyAttempt[] {
  return r.skipped.map((s) => ({ location: s.location, reference: '', mirror: true, outcome: 'skipped', errorClass: null, httpStatus: null, error: s.reason, durationMs: 0 }));
}

/**
 * `noSource`: true forbids the primary (a disconnected cluster); null means "the default": forbid it
 * when the matched entry is blocked (the runtime would refuse it anyway, and nothing may leak to it).
 */
export function planVerify(image: string, r: Resolution, noSource: boolean | null): VerifyPlan {
  const forbid = noSource ?? r.registry?.blocked ?? false;
  const fail = (reason: VerifyReason, detail: string): VerifyPlan => ({
    sources: [],
    noSource: forbid,
    verdict: { ...base(image, r, forbid), reason, detail, attempts: skippedAttempts(r) },
  });
  if (r.error !== null) return fail(r.errorKind === 'parse' ? 'invalid-reference' : 'resolution-error', r.error);
  if (r.candidates && r.candidates.length > 0 && r.sources.length === 0) {
    return fail('resolution-error', `"${image}" is a short name: verify needs fully qualified references (candidates: ${r.candidates.map((c) => c.reference).join(', ')})`);
  }
  const mirrors = r.sources.filter((s) => s.mirror);
  if (mirrors.length === 0) {
    const digestOnly = r.skipped.filter((s) => /digest-only/.test(s.reason));
    if (digestOnly.length > 0 && !hasDigest(r.normalized)) {
      return fail('tag-on-digest-only', `pulled by tag, but every mirror is digest-only (${digestOnly.map((s) => s.location).join(', ')}): the runtime goes to the source; pin the image by digest`);
    }
    if (r.skipped.length > 0) {
      return fail('no-mirror', `every mirror is skipped for this reference: ${r.skipped.map((s) => `${s.location} (${s.reason})`).join('; ')}`);
    }
    const where = r.registry ? `[[registry]] "${r.registry.prefix}" (${r.registry.origin}) has no mirror` : 'no [[registry]] entry matches';
    return fail('no-mirror', `${where}: only the source ${r.normalized ?? image} could serve it`);
  }
  if (mirrors.every((m) => m.blocked)) {
    return fail('blocked', `every mirror is blocked: ${mirrors.map((m) => m.blockedError ?? m.location).join('; ')}`);
  }
  return { sources: forbid ? mirrors : r.sources, noSource: forbid, verdict: null };
}

function toVerifyAttempt(a: AttemptEvent): VerifyAttempt {
  return { location: a.location, reference: a.reference, mirror: a.mirror, outcome: a.outcome, errorClass: a.errorClass, httpStatus: a.httpStatus, error: a.error, durationMs: a.durationMs, ...(a.credentials ? { credentials: a.credentials } : {}) };
}

const describeFailure = (a: AttemptEvent): string => {
  const refusal = refusalWords(a);
  return refusal ? `${a.location}: ${a.errorClass} (${refusal})` : `${a.location}: ${a.errorClass ?? 'failed'}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`;
};

/** The verdict from the engine's attempts and result for one image run with `plan.sources`. */
export function classifyVerify(image: string, r: Resolution, plan: VerifyPlan, attempts: AttemptEvent[], result: ResultEvent | null): VerifyVerdict {
  if (plan.verdict) return plan.verdict;
  const v: VerifyVerdict = { ...base(image, r, plan.noSource), attempts: [...attempts.map(toVerifyAttempt), ...skippedAttempts(r)], durationMs: result?.durationMs ?? attempts.reduce((s, a) => s + a.durationMs, 0) };
  const mirrorFailures = attempts.filter((a) => a.mirror && a.outcome !== 'ok');
  const winner = result?.ok ? attempts.find((a) => a.outcome === 'ok' && (result.sourceIndex === null || a.index === result.sourceIndex)) : undefined;

  if (result?.ok && winner?.mirror) {
    v.digest = result.digest;
    v.mirror = winner.reference;
    v.endpoint = winner.location;
    if (result.missingBlobs && result.missingBlobs.length > 0) {
      v.missingBlobs = result.missingBlobs;
      v.reason = 'blobs-missing';
      v.detail = `${winner.location} serves the manifest but not ${result.missingBlobs.length} blob(s) (${result.missingBlobs.join(', ')}); the runtime does not fail over at the blob stage, so the pull fails`;
      return v;
    }
    v.ok = true;
    v.detail = `served by ${winner.reference}${v.byDigest ? '' : ' (by tag: pin a digest to prove the mirror holds this exact image)'}`;
    return v;
  }

  const failing = mirrorFailures.length > 0 ? mirrorFailures.map(describeFailure).join('; ') : 'no mirror answered';
  const chosen = attempts.find((a) => a.outcome === 'ok');
  if (result && !result.ok && chosen) {
    // The engine chose a source (its manifest answered) and failed after that: the runtime does not fail over.
    if (chosen.mirror && result.missingBlobs && result.missingBlobs.length > 0) {
      v.missingBlobs = result.missingBlobs;
      v.reason = 'blobs-missing';
      v.detail = `${chosen.location} serves the manifest but not ${result.missingBlobs.length} blob(s) (${result.missingBlobs.join(', ')}); the runtime does not fail over at the blob stage, so the pull fails`;
      return v;
    }
    // The runtime accepts any 200, so a captive portal "serves" an HTML page as the manifest: say what it is.
    const html = chosen.steps.some((st) => /HTML page/i.test(st.detail ?? ''));
    v.reason = html ? 'not-a-registry' : REASON_OF[result.errorClass ?? 'other'];
    v.detail = `${chosen.location}: ${result.error ?? result.errorClass ?? 'failed'} (after choosing this source; the runtime does not fail over from here)`;
    return v;
  }
  if (result?.ok && winner) {
    v.digest = result.digest;
    v.reason = 'source-only';
    v.detail = `only the source ${winner.reference} served it; mirrors: ${failing}`;
    return v;
  }
  const reasons = mirrorFailures.map((a) => REASON_OF[a.errorClass ?? (a.outcome === 'blocked' ? 'blocked' : 'other')]);
  v.reason = PRIORITY.find((p) => reasons.includes(p)) ?? (attempts.length === 0 ? 'mirror-error' : 'mirror-error');
  v.detail = result === null && attempts.length === 0 ? 'the engine produced no result' : failing;
  return v;
}
