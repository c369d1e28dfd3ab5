/**
 * ClusterImagePolicy and ImagePolicy (config.openshift.io v1alpha1 and v1; there never was a v1beta1) turned
 * into policy.json `sigstoreSigned` requirements, as the MCO does in
 * pkg/controller/container-runtime-config: `policyItemFromSpec` (helpers.go), `getValidScopePolicies`
 * (container_runtime_config_controller.go) and `validateImagePolicyWithAllowedBlockedRegistries` (helpers.go).
 * Field names from openshift/api config/v1/types_image_policy.go (same in v1alpha1, where `signedIdentity`
 * was a struct instead of a pointer: absent and empty both mean the default).
 */
import { PullpathError } from '../errors.ts';
import type { JsonObject } from '../policy/strict-json.ts';
import type { PolicyRequirement } from '../policy/types.ts';
import { anchoredDomainRegexp, anchoredNameRegexp, domain } from '../reference/grammar.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';

const domainPrefix = new RegExp(`^${domain}/`);

/**
 * containers/image signature/policy_config.go `validateIdentityRemappingPrefix` (via `NewPRMRemapIdentity`):
 * a bare domain, or a repository name that starts with a domain. The MCO's `policyItemFromSpec` wraps the error.
 */
function checkRemapPrefix(s: string): void {
  if (anchoredDomainRegexp.test(s) || (anchoredNameRegexp.test(s) && domainPrefix.test(s))) return;
  throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `error getting signedIdentity for RemapIdentity: prefix ${JSON.stringify(s)} is not valid`);
}
import type { ObjectOrigin } from './types.ts';

export type RootOfTrustType = 'PublicKey' | 'FulcioCAWithRekor' | 'PKI';
export type MatchPolicy = 'MatchRepoDigestOrExact' | 'MatchRepository' | 'ExactRepository' | 'RemapIdentity';

/** `ImageSigstoreVerificationPolicy`, byte fields kept as the decoded bytes (Go `[]byte`). */
export interface SigstorePolicySpec {
  policyType: RootOfTrustType;
  publicKey?: { keyData: Buffer; rekorKeyData?: Buffer };
  fulcioCAWithRekor?: { fulcioCAData: Buffer; rekorKeyData: Buffer; oidcIssuer: string; signedEmail: string };
  pki?: { caRootsData: Buffer; caIntermediatesData?: Buffer; email?: string; hostname?: string };
  signedIdentity?: { matchPolicy: MatchPolicy; exactRepository?: string; remapPrefix?: string; remapSignedPrefix?: string };
}

export interface ImagePolicyObject {
  kind: 'ClusterImagePolicy' | 'ImagePolicy';
  origin: ObjectOrigin;
  /** ImagePolicy only: its metadata.namespace ('' when absent, as Go's zero value). */
  namespace: string;
  scopes: string[];
  /** 1-based line of each scope, when read from YAML. */
  scopeLines?: (number | undefined)[];
  policy: SigstorePolicySpec;
}

/** scope → requirements, in input order (the MCO's map iteration order is random; JSON output sorts scopes). */
export type ScopePolicies = Map<string, PolicyRequirement[]>;
/** scope → namespace → requirements. */
export type ScopeNamespacePolicies = Map<string, Map<string, PolicyRequirement[]>>;

const b64 = (b: Buffer): string => b.toString('base64');

/**
 * MCO helpers.go `policyItemFromSpec`: one `sigstoreSigned` requirement. Empty Go strings/slices are left out
 * (`omitempty` in containers/image signature/policy_types.go); the Fulcio CA, OIDC issuer and e-mail always go
 * in; `signedIdentity` defaults to `matchRepoDigestOrExact` (`NewPRMMatchRepoDigestOrExact`).
 */
export function policyItemFromSpec(p: SigstorePolicySpec): PolicyRequirement {
  const f: JsonObject = Object.create(null) as JsonObject;
  f.type = 'sigstoreSigned';
  const set = (k: string, v: Buffer | string | undefined): void => {
    if (v === undefined) return;
    const s = typeof v === 'string' ? v : b64(v);
    if (s !== '') f[k] = s;
  };
  switch (p.policyType) {
    case 'PublicKey':
      // containers/image NewPRSigstoreSigned refuses an empty key ("keyData" must not be empty) — the API requires ≥ 68 bytes.
      set('keyData', p.publicKey?.keyData);
      set('rekorPublicKeyData', p.publicKey?.rekorKeyData);
      break;
    case 'FulcioCAWithRekor': {
      const c = p.fulcioCAWithRekor;
      const fulcio: JsonObject = Object.create(null) as JsonObject;
      if (c !== undefined) {
        if (c.fulcioCAData.length > 0) fulcio.caData = b64(c.fulcioCAData);
        if (c.oidcIssuer !== '') fulcio.oidcIssuer = c.oidcIssuer;
        if (c.signedEmail !== '') fulcio.subjectEmail = c.signedEmail;
      }
      f.fulcio = fulcio;
      set('rekorPublicKeyData', c?.rekorKeyData);
      break;
    }
    case 'PKI': {
      const c = p.pki;
      const pki: JsonObject = Object.create(null) as JsonObject;
      if (c !== undefined) {
        if (c.caRootsData.length > 0) pki.caRootsData = b64(c.caRootsData);
        if (c.caIntermediatesData !== undefined && c.caIntermediatesData.length > 0) pki.caIntermediatesData = b64(c.caIntermediatesData);
        if (c.email) pki.subjectEmail = c.email;
        if (c.hostname) pki.subjectHostname = c.hostname;
      }
      f.pki = pki;
      break;
    }
  }
  const id = p.signedIdentity;
  const ident: JsonObject = Object.create(null) as JsonObject;
  switch (id?.matchPolicy) {
    case 'RemapIdentity':
      checkRemapPrefix(id.remapPrefix ?? '');
      checkRemapPrefix(id.remapSignedPrefix ?? '');
      ident.type = 'remapIdentity';
      ident.prefix = id.remapPrefix ?? '';
      ident.signedPrefix = id.remapSignedPrefix ?? '';
      break;
    case 'ExactRepository':
      ident.type = 'exactRepository';
      ident.dockerRepository = id.exactRepository ?? '';
      break;
    case 'MatchRepository':
      ident.type = 'matchRepository';
      break;
    default:
      ident.type = 'matchRepoDigestOrExact';
  }
  f.signedIdentity = ident;
  return { type: 'sigstoreSigned', fields: f };
}

export interface ValidScopePolicies {
  cluster: ScopePolicies;
  namespaced: ScopeNamespacePolicies;
  /** ImagePolicy scopes dropped because a ClusterImagePolicy scope holds them (the MCO sets the policy Pending). */
  conflicts: { policy: ImagePolicyObject; scopes: string[]; message: string }[];
}

/**
 * container_runtime_config_controller.go `getValidScopePolicies`: cluster policies per scope (several
 * ClusterImagePolicies on one scope add up), then namespaced ones, skipping every ImagePolicy scope equal to or
 * nested inside a ClusterImagePolicy scope (status message worded as the MCO's).
 */
export function validScopePolicies(policies: ImagePolicyObject[]): ValidScopePolicies {
  const cluster: ScopePolicies = new Map();
  const namespaced: ScopeNamespacePolicies = new Map();
  const conflicts: ValidScopePolicies['conflicts'] = [];
  for (const p of policies) {
    if (p.kind !== 'ClusterImagePolicy') continue;
    const req = policyItemFromSpec(p.policy);
    for (const s of p.scopes) cluster.set(s, [...(cluster.get(s) ?? []), req]);
  }
  for (const p of policies) {
    if (p.kind !== 'ImagePolicy') continue;
    const req = policyItemFromSpec(p.policy);
    const conflict: string[] = [];
    for (const s of p.scopes) {
      if ([...cluster.keys()].some((c) => scopeIsNestedInsideScope(s, c))) {
        conflict.push(s);
        continue;
      }
      const byNs = namespaced.get(s) ?? new Map<string, PolicyRequirement[]>();
      byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), req]);
      namespaced.set(s, byNs);
    }
    if (conflict.length > 0) {
      conflicts.push({
        policy: p,
        scopes: conflict,
        message: `has conflicting scope(s) [${conflict.map((c) => JSON.stringify(c)).join(' ')}] that equal to or nest inside existing clusterimagepolicy, only policy from clusterimagepolicy scope(s) will be applied`,
      });
    }
  }
  return { cluster, namespaced, conflicts };
}

/**
 * helpers.go `validateImagePolicyWithAllowedBlockedRegistries`: with allowedRegistries set, every policy scope
 * must be nested inside one of them; no policy scope may be nested inside a blocked one. First failure wins, in
 * the MCO's order (cluster/allowed, cluster/blocked, namespaced/allowed, namespaced/blocked).
 */
export function validateWithAllowedBlocked(cluster: Iterable<string>, namespaced: Iterable<string>, allowed: string[] | null, blocked: string[] | null): void {
  const allow = allowed ?? [];
  const block = blocked ?? [];
  if (allow.length === 0 && block.length === 0) return;
  const check = (scopes: string[], what: string): void => {
    for (const s of scopes) {
      if (allow.length > 0 && !allow.some((r) => scopeIsNestedInsideScope(s, r))) {
        throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `${what} configured for the scope ${s} is not nested inside allowedRegistries`);
      }
    }
    for (const s of scopes) {
      if (block.some((r) => scopeIsNestedInsideScope(s, r))) {
        throw new PullpathError('PP_ERR_OPENSHIFT_POLICY', `${what} configured for the scope ${s} is nested inside blockedRegistries`);
      }
    }
  };
  check([...cluster], 'clusterimagePolicy');
  check([...namespaced], 'imagePolicy');
}
