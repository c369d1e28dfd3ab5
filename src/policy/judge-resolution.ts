/**
 * Attaches policy.json verdicts to a Resolution: the normalized reference (and each short-name candidate) is
 * judged, never the mirrors' physical references, because the runtime judges the logical reference.
 */
import type { PolicyDecision, Resolution } from '../resolve/resolution.ts';
import { evaluatePolicy } from './evaluate.ts';
import type { Policy } from './types.ts';

export function policyDecision(policy: Policy, reference: string): PolicyDecision {
  try {
    const v = evaluatePolicy(policy, reference);
    return { allowed: v.allowed, scope: v.scope, message: v.message };
  } catch (err) {
    return { allowed: false, scope: '', message: `evaluating policy: ${(err as Error).message}` };
  }
}

/** A copy of `r` with `policy` set on it (when it has a normalized reference) and on each candidate. */
export function judgeResolution(policy: Policy, r: Resolution): Resolution {
  const out: Resolution = { ...r };
  if (r.normalized !== null && r.candidates === undefined) out.policy = policyDecision(policy, r.normalized);
  if (r.candidates !== undefined) out.candidates = r.candidates.map((c) => ({ ...c, policy: policyDecision(policy, c.reference) }));
  return out;
}

/** "allowed", "REJECTED" or "needs a signature (not checked)" followed by the deciding scope. */
export function describeDecision(d: PolicyDecision): string {
  const verdict = d.allowed === true ? 'allowed' : d.allowed === false ? 'REJECTED' : 'needs a valid signature (not checked)';
  return `${verdict} by scope ${JSON.stringify(d.scope)}: ${d.message}`;
}
