/**
 * `pullpath verify --output json`: one `{"type":"verify",…}` record per image (in input order) and a
 * `{"type":"summary",…}` record last. Field names follow the shared vocabulary (schemas/verify.schema.json):
 * `source` is the physical reference that served the image (as in pull's result), `location` the
 * endpoint as configured (as in every attempt).
 */
import type { VerifySummary, VerifyVerdict } from '../verify/verdict.ts';
import { FIX_TEXT, VERIFY_REASON_TOPIC, type Fix } from './what-to-do.ts';

export function verifyVerdictJson(v: VerifyVerdict): Record<string, unknown> {
  const { mirror, endpoint, ...rest } = v;
  const whatToDo: Fix[] = v.reason === null ? [] : [{ subject: v.image, topic: VERIFY_REASON_TOPIC[v.reason], text: FIX_TEXT[VERIFY_REASON_TOPIC[v.reason]] }];
  return {
    type: rest.type,
    image: rest.image,
    normalized: rest.normalized,
    ok: rest.ok,
    reason: rest.reason,
    detail: rest.detail,
    source: mirror,
    location: endpoint,
    digest: rest.digest,
    byDigest: rest.byDigest,
    noSource: rest.noSource,
    attempts: rest.attempts,
    ...(rest.missingBlobs !== undefined ? { missingBlobs: rest.missingBlobs } : {}),
    durationMs: Math.round(rest.durationMs),
    whatToDo,
  };
}

export function verifySummaryJson(s: VerifySummary): Record<string, unknown> {
  return { type: 'summary', ...s };
}
