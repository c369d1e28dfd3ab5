/**
 * `pullpath policy --output json`: one `{"type":"policy",…}` record per reference, in argument order
 * (schemas/policy.schema.json). `image` is the reference as given, `normalized` the reference judged (the
 * names resolve, pull and verify use for the same things).
 */
import type { ErrorClass } from '../registry/error-class.ts';
import type { PolicyVerdict } from '../policy/types.ts';
import type { SignatureCheck } from '../signature/types.ts';

export function policyVerdictWord(v: PolicyVerdict): 'allowed' | 'rejected' | 'signature-required' {
  return v.allowed === true ? 'allowed' : v.allowed === false ? 'rejected' : 'signature-required';
}

export function policyVerdictJson(image: string, v: PolicyVerdict, policyFile: string): Record<string, unknown> {
  return {
    type: 'policy',
    image,
    normalized: v.reference,
    imageName: v.imageName,
    transport: v.transport,
    verdict: policyVerdictWord(v),
    allowed: v.allowed,
    scope: v.scope,
    scopeMatch: v.scopeMatch,
    requirements: v.requirements,
    message: v.message,
    policyFile,
  };
}

/** `policy --check-signatures`: what the pull-time signature check found for one reference. */
export interface SignatureOutcome {
  ok: boolean;
  /** The physical reference that served the image (signatures are read from it only), or null when none did. */
  source: string | null;
  error: string | null;
  errorClass: ErrorClass | null;
  lookedIn: string[];
  checks: SignatureCheck[];
}

export function signatureOutcomeJson(s: SignatureOutcome): Record<string, unknown> {
  return { ok: s.ok, source: s.source, error: s.error, errorClass: s.errorClass, lookedIn: s.lookedIn, checks: s.checks };
}
