/**
 * `pullpath policy --output json`: one `{"type":"policy",…}` record per reference, in argument order
 * (schemas/policy.schema.json). `image` is the reference as given, `normalized` the reference judged (the
 * names resolve, pull and verify use for the same things).
 */
import type { PolicyVerdict } from '../policy/types.ts';

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
