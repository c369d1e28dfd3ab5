/**
 * MCO `updatePolicyJSON`: allowedRegistries make the default `reject` and each allowed scope
 * `insecureAcceptAnything`; blockedRegistries make the default accept and each blocked scope `reject`
 * (blocked wins). ClusterImagePolicy requirements are appended per scope (an allowed scope that a
 * ClusterImagePolicy names gets no `insecureAcceptAnything`). The scopes go to the `docker` transport and,
 * minus those with three or more `/` (the `atomic` transport cannot parse them, and one bad scope breaks the
 * whole file), to `atomic`. `updateNamespacedPolicyJsons` is helpers.go `updateNamespacedPolicyJSONs`.
 */
import { PullpathError } from '../errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import { serializePolicy } from '../policy/serialize.ts';
import type { PolicyRequirement, PolicyTransportScopes } from '../policy/types.ts';
import { goQuote } from '../go-quote.ts';
import { validateWithAllowedBlocked, type ScopeNamespacePolicies, type ScopePolicies } from './image-policies.ts';
import { isValidRegistriesConfScope } from './scopes.ts';

export const ERR_ALLOWED_AND_BLOCKED = 'invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified';

export interface PolicyJsonOptions {
  /** `payloadRepo` name (for the one allowed+blocked combination the MCO accepts), or null when unknown. */
  payloadRepo: string | null;
  /** Go `json.MarshalIndent` with two spaces (MCO since mid-2024) or compact `json.Marshal` (older). */
  indent: boolean;
  /** Drop ≥3-slash scopes from `atomic` (MCO PR #3653); older MCOs copied every scope. */
  filterAtomic: boolean;
  /** ClusterImagePolicy requirements per scope (MCO `clusterScopePolicies`). */
  clusterPolicies?: ScopePolicies;
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
  const cluster = opts.clusterPolicies ?? new Map();
  // helpers.go updatePolicyJSON → validateImagePolicyWithAllowedBlockedRegistries(clusterScopePolicies, nil, …)
  validateWithAllowedBlocked(cluster.keys(), [], allowed, blocked);
  if (allowed === null && blocked === null && cluster.size === 0) return template;
  for (const s of blocked ?? []) if (!isValidRegistriesConfScope(s)) throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `invalid entry for blocked registries ${goQuote(s)}`);
  for (const s of allowed ?? []) if (!isValidRegistriesConfScope(s)) throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `invalid entry for allowed registries ${goQuote(s)}`);

  const policy = parsePolicy(template, templateFile);
  const scopes: PolicyTransportScopes = new Map();
  const req = (type: 'reject' | 'insecureAcceptAnything'): PolicyRequirement[] => [{ type, fields: Object.assign(Object.create(null), { type }) }];
  if (allowed !== null && allowed.length > 0) {
    policy.default = req('reject');
    // "do not set insecureAcceptAnything for the reg if this allowed reg is set in the clusterimagepolicy"
    for (const s of allowed) if (!cluster.has(s)) scopes.set(s, req('insecureAcceptAnything'));
  }
  if (blocked !== null && blocked.length > 0) {
    policy.default = req('insecureAcceptAnything');
    for (const s of blocked) scopes.set(s, req('reject'));
  }
  for (const [s, reqs] of cluster) scopes.set(s, [...(scopes.get(s) ?? []), ...reqs]);
  if (scopes.size > 0) {
    policy.transports.set('docker', scopes);
    const atomic: PolicyTransportScopes = new Map();
    for (const [s, r] of scopes) if (!opts.filterAtomic || s.split('/').length - 1 < 3) atomic.set(s, r);
    policy.transports.set('atomic', atomic);
  }
  return serializePolicy(policy, opts.indent ? '  ' : '');
}

/**
 * helpers.go `updateNamespacedPolicyJSONs`: one policy per namespace, starting from the cluster's rendered
 * policy.json, with that namespace's ImagePolicy requirements appended per scope to `docker` and (scopes with
 * fewer than three `/`) to `atomic`. Returned sorted by namespace, as `imagePolicyConfigFileList` writes them
 * to `/etc/crio/policies/<namespace>.json`.
 */
export function updateNamespacedPolicyJsons(
  clusterPolicyJson: string,
  blocked: string[] | null,
  allowed: string[] | null,
  namespaced: ScopeNamespacePolicies,
  opts: { indent: boolean },
): [namespace: string, json: string][] {
  validateWithAllowedBlocked([], namespaced.keys(), allowed, blocked);
  const byNamespace = new Map<string, ScopePolicies>();
  for (const [scope, perNs] of namespaced) {
    for (const [ns, reqs] of perNs) {
      const m = byNamespace.get(ns) ?? new Map();
      m.set(scope, [...(m.get(scope) ?? []), ...reqs]);
      byNamespace.set(ns, m);
    }
  }
  const out: [string, string][] = [];
  for (const [ns, reqs] of byNamespace) {
    const policy = parsePolicy(clusterPolicyJson, '(rendered policy.json)');
    const docker = policy.transports.get('docker') ?? new Map();
    policy.transports.set('docker', docker);
    for (const [s, r] of reqs) docker.set(s, [...(docker.get(s) ?? []), ...r]);
    const atomic = policy.transports.get('atomic') ?? new Map();
    policy.transports.set('atomic', atomic);
    for (const [s, r] of reqs) if (s.split('/').length - 1 < 3) atomic.set(s, [...(atomic.get(s) ?? []), ...r]);
    out.push([ns, serializePolicy(policy, opts.indent ? '  ' : '')]);
  }
  // Go sort.Strings: byte order.
  return out.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
