/**
 * MCO `updatePolicyJSON`: allowedRegistries make the default `reject` and each allowed scope
 * `insecureAcceptAnything`; blockedRegistries make the default accept and each blocked scope `reject`
 * (blocked wins). The scopes go to the `docker` transport and, minus those with three or more `/`
 * (the `atomic` transport cannot parse them, and one bad scope breaks the whole file), to `atomic`.
 */
import { PullpathError } from '../errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import { serializePolicy } from '../policy/serialize.ts';
import type { PolicyRequirement, PolicyTransportScopes } from '../policy/types.ts';
import { goQuote } from './edit-registries.ts';
import { isValidRegistriesConfScope } from './scopes.ts';

export const ERR_ALLOWED_AND_BLOCKED = 'invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified';

export interface PolicyJsonOptions {
  /** `payloadRepo` name (for the one allowed+blocked combination the MCO accepts), or null when unknown. */
  payloadRepo: string | null;
  /** Go `json.MarshalIndent` with two spaces (MCO since mid-2024) or compact `json.Marshal` (older). */
  indent: boolean;
  /** Drop ≥3-slash scopes from `atomic` (MCO PR #3653); older MCOs copied every scope. */
  filterAtomic: boolean;
}

/** Returns the new policy.json text, or the template unchanged when neither list is set. */
export function updatePolicyJson(
  template: string,
  templateFile: string,
  blocked: string[] | null,
  allowed: string[] | null,
  opts: PolicyJsonOptions,
): string {
  if (allowed !== null && allowed.length > 0 && blocked !== null && blocked.length > 0) {
    if (!(allowed.length === 1 && opts.payloadRepo !== null && allowed[0] === opts.payloadRepo)) {
      throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', ERR_ALLOWED_AND_BLOCKED);
    }
  }
  if (allowed === null && blocked === null) return template;
  for (const s of blocked ?? []) if (!isValidRegistriesConfScope(s)) throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `invalid entry for blocked registries ${goQuote(s)}`);
  for (const s of allowed ?? []) if (!isValidRegistriesConfScope(s)) throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `invalid entry for allowed registries ${goQuote(s)}`);

  const policy = parsePolicy(template, templateFile);
  const scopes: PolicyTransportScopes = new Map();
  const req = (type: 'reject' | 'insecureAcceptAnything'): PolicyRequirement[] => [{ type, fields: Object.assign(Object.create(null), { type }) }];
  if (allowed !== null && allowed.length > 0) {
    policy.default = req('reject');
    for (const s of allowed) scopes.set(s, req('insecureAcceptAnything'));
  }
  if (blocked !== null && blocked.length > 0) {
    policy.default = req('insecureAcceptAnything');
    for (const s of blocked) scopes.set(s, req('reject'));
  }
  if (scopes.size > 0) {
    policy.transports.set('docker', scopes);
    const atomic: PolicyTransportScopes = new Map();
    for (const [s, r] of scopes) if (!opts.filterAtomic || s.split('/').length - 1 < 3) atomic.set(s, r);
    policy.transports.set('atomic', atomic);
  }
  return serializePolicy(policy, opts.indent ? '  ' : '');
}
