/**
 * Runs one Resolution the way the runtime would: sources in order, the first success wins, blocked sources
 * fail without network, and the final error has the runtime's form. Short names (a Resolution with
 * `candidates`) are tried candidate by candidate, as podman does, stopping at the first that pulls.
 * Never prints: every fact leaves as a PullEvent through `emit`.
 */
import type { PullSource, Resolution } from '../resolve/resolution.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import type { ErrorClass } from '../registry/error-class.ts';
import { runAttempt, type AttemptOutcome } from './attempt.ts';
import { pullContainerd } from './containerd-pull.ts';
import { afterChoice } from './chosen-source.ts';
import { candidatesFailedError, sourcesFailedError } from './final-error.ts';
import type { PullOptions } from './options.ts';
import { splitPhysicalRef } from './physical-ref.ts';
import { policyDecision } from '../policy/judge-resolution.ts';
import { selectRequirements, SIGNATURES_NOT_CHECKED } from '../policy/evaluate.ts';
import { parseDockerTransportRef } from '../policy/docker-reference.ts';
import type { Policy } from '../policy/types.ts';
import { checkImageSignatures, needsSignatures } from '../signature/check-image.ts';

/**
 * The policy verdict for the logical reference (mirrors are judged on the reference the user asked for, as the
 * runtime does). A rejection turns a successful fetch into a failed pull with the runtime's message.
 */
function judgeByPolicy(policy: Policy, logical: string): { verdict: NonNullable<ResultEvent['policy']>; rejection: string | null } {
  const verdict = policyDecision(policy, logical);
  return { verdict, rejection: verdict.allowed === false ? verdict.message : null };
}

/** The signature requirements policy.json selects for the pulled name, checked against what `physical` served. */
async function verifySignatures(options: PullOptions, pulled: string, source: PullSource, outcome: AttemptOutcome, signal: AbortSignal | undefined) {
  const { requirements } = selectRequirements(options.policy!, parseDockerTransportRef(pulled));
  if (!needsSignatures(requirements) || !outcome.session || !outcome.manifest) return null;
  return checkImageSignatures(options.signatures!, {
    requirements,
    pulled,
    physical: source.reference,
    manifestDigest: outcome.manifest.digest,
    insecure: source.insecure,
    registry: { client: options.client, session: outcome.session, path: outcome.ref.path, manifest: outcome.manifest.body },
    ...(signal ? { signal } : {}),
  });
}

function clockSince(t0: number): () => number {
  return () => Math.round((performance.now() - t0) * 10) / 10;
}

type ResultFields = Partial<ResultEvent> & { ok: boolean; error: string | null; errorClass: ErrorClass | null };

function resultEmitter(image: string, at: () => number, begun: number, emit: (e: PullEvent) => void): (fields: ResultFields) => ResultEvent {
  return (fields) => {
    const ev: ResultEvent = { type: 'result', image, at: at(), source: null, sourceIndex: null, digest: null, mediaType: null, durationMs: Math.round((performance.now() - begun) * 10) / 10, ...fields };
    emit(ev);
    return ev;
  };
}

interface SourceGroup {
  reference: string | null;
  sources: PullSource[];
  error: string | null;
}

function groupsOf(r: Resolution): SourceGroup[] {
  if (r.candidates && r.candidates.length > 0) {
    return r.candidates.map((c) => ({ reference: c.reference, sources: c.sources, error: c.error }));
  }
  return [{ reference: r.normalized, sources: r.sources, error: null }];
}

/**
 * Pulls one image (manifest only, plus `checkBlobs`): emits an `image` event, then `attempt-start` and
 * `attempt` per source tried, then the `result`, which it also returns.
 *
 * @example
 * const result = await pullOne(resolution, { client }, (e) => events.push(e), AbortSignal.timeout(60_000));
 * if (!result.ok) console.error(result.error);
 */
export async function pullOne(
  resolution: Resolution,
  options: PullOptions,
  emit: (e: PullEvent) => void,
  signal?: AbortSignal,
): Promise<ResultEvent> {
  const t0 = options.startedAt ?? performance.now();
  const at = clockSince(t0);
  const image = options.image ?? resolution.ref;
  const begun = performance.now();
  const groups = groupsOf(resolution);
  emit({
    type: 'image',
    image,
    at: at(),
    normalized: resolution.normalized,
    registry: resolution.registry,
    plan: groups.flatMap((g) => g.sources.map((s) => ({ reference: s.reference, location: s.location, mirror: s.mirror, insecure: s.insecure, blocked: s.blocked }))),
    skipped: resolution.skipped,
    error: resolution.error,
  });
  const result = resultEmitter(image, at, begun, emit);
  if (resolution.error !== null) return result({ ok: false, error: resolution.error, errorClass: 'config' });
  // containerd's resolver walks its hosts its own way (resolve, then fetch over all hosts): containerd-pull.ts.
  if (resolution.runtime === 'containerd') return pullContainerd({ resolution, options, emit, result, image, at, signal });

  let index = 0;
  const groupErrors: string[] = [];
  let lastClass: ErrorClass | null = null;
  for (const group of groups) {
    if (group.error !== null) {
      groupErrors.push(group.error);
      lastClass = 'config';
      continue;
    }
    const failedAttempts: AttemptEvent[] = [];
    for (const source of group.sources) {
      emit({ type: 'attempt-start', image, index, at: at(), reference: source.reference, location: source.location, mirror: source.mirror, insecure: source.insecure });
      // The logical reference's host: --creds apply only on that host (never sent to a mirror elsewhere).
      const outcome = await runAttempt(source, index, image, options, at, signal, group.reference !== null ? splitPhysicalRef(group.reference).host : null);
      emit(outcome.event);
      if (outcome.event.outcome === 'ok' && outcome.session && outcome.manifest) {
        const chosen = await afterChoice(outcome.session, outcome.ref, outcome.manifest, options, signal);
        const { steps, ok, error, errorClass, notes, ...rest } = chosen;
        const judged = options.policy && group.reference !== null ? judgeByPolicy(options.policy, group.reference) : null;
        const rejected = judged?.rejection != null && ok;
        // Signatures, when the policy asks for them: from the source that served the image, never failing over.
        const signed =
          ok && !rejected && judged?.verdict.allowed === null && options.signatures && group.reference !== null
            ? await verifySignatures(options, group.reference, source, outcome, signal)
            : null;
        const sigDenied = signed !== null && !signed.ok;
        return result({
          ok: ok && !rejected && !sigDenied,
          error: rejected ? judged!.rejection : sigDenied ? signed.error : error,
          errorClass: rejected ? 'policy' : sigDenied ? signed.errorClass : errorClass,
          // Once signatures were verified the verdict is final: allowed or rejected, no longer "needs a signature".
          ...(judged ? { policy: signed === null ? judged.verdict : { ...judged.verdict, allowed: signed.ok, message: judged.verdict.message.replace(SIGNATURES_NOT_CHECKED, signed.ok ? 'its signatures verified' : 'its signatures were rejected') } } : {}),
          ...(signed !== null ? { signatures: { ok: signed.ok, lookedIn: signed.lookedIn, checks: signed.checks } } : {}),
          source: source.reference,
          sourceIndex: index,
          digest: outcome.manifest.digest,
          mediaType: outcome.manifest.mediaType || null,
          ...rest,
          ...(notes.length ? { notes } : {}),
        });
      }
      failedAttempts.push(outcome.event);
      index++;
    }
    const err = sourcesFailedError(failedAttempts.map((a) => ({ reference: a.reference, error: a.error ?? '' })));
    groupErrors.push(err);
    lastClass = failedAttempts[failedAttempts.length - 1]?.errorClass ?? 'other';
  }
  return result({ ok: false, error: candidatesFailedError(groupErrors), errorClass: lastClass });
}
