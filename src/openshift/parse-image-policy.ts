/**
 * Reads a ClusterImagePolicy / ImagePolicy (config.openshift.io v1alpha1 or v1) into the fields the MCO uses.
 * Byte fields are base64 as the API server stores them (Go `[]byte` in JSON); the API's required fields and
 * enums (openshift/api config/v1/types_image_policy.go) are checked here, so a malformed object is refused with
 * its file and key instead of rendering something the API server would never have accepted. The API's PEM
 * checks (keyData must start with `-----BEGIN PUBLIC KEY-----`) are left to `lint --openshift`.
 */
import { ConfigError } from '../errors.ts';
import type { ImagePolicyObject, MatchPolicy, RootOfTrustType, SigstorePolicySpec } from './image-policies.ts';
import type { ObjectOrigin } from './types.ts';

type Obj = Record<string, unknown>;

/** types_image_policy.go `ImageScope` XValidation rules (the API server refuses the object otherwise), with their messages. */
const SCOPE_WILDCARD = /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$/;
const SCOPE_PLAIN =
  /^((((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+(?::[0-9]+)?)|(localhost(?::[0-9]+)?))(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}))?$/;

export function imageScopeError(scope: string): string | null {
  if (scope.length > 512) return 'Too long: may not be more than 512 bytes';
  const host = scope.split('/')[0] ?? '';
  if (host.split('.').length === 1 && (host.split('.')[0] ?? '').split(':')[0] !== 'localhost') {
    return "invalid image scope format, scope must contain a fully qualified domain name or 'localhost'";
  }
  if (scope.includes('*')) {
    return SCOPE_WILDCARD.test(scope) ? null : 'invalid image scope with wildcard, a wildcard can only be at the start of the domain and is only supported for subdomain matching, not path matching';
  }
  return SCOPE_PLAIN.test(scope) ? null : 'invalid repository namespace or image specification in the image scope';
}

const ROOTS: RootOfTrustType[] = ['PublicKey', 'FulcioCAWithRekor', 'PKI'];
const MATCH: MatchPolicy[] = ['MatchRepoDigestOrExact', 'MatchRepository', 'ExactRepository', 'RemapIdentity'];

export function parseImagePolicy(
  value: Obj,
  kind: 'ClusterImagePolicy' | 'ImagePolicy',
  namespace: string,
  origin: ObjectOrigin,
  k: (s: string) => string,
  scopeLines: (number | undefined)[] | undefined,
): ImagePolicyObject {
  const err = (key: string, what: string): ConfigError =>
    new ConfigError(`${origin.file}: ${k(key)}: ${what}`, { file: origin.file, code: 'PP_ERR_OPENSHIFT_OBJECT' });
  const spec = obj(value.spec, 'spec');
  const rawScopes = spec.scopes;
  if (!Array.isArray(rawScopes) || rawScopes.length === 0) throw err('spec.scopes', 'required: a list of at least one image scope');
  if (rawScopes.length > 256) throw err('spec.scopes', `Too many: ${rawScopes.length}: must have at most 256 items`);
  const scopes = rawScopes.map((s, i) => {
    if (typeof s !== 'string' || s === '') throw err(`spec.scopes[${i}]`, `expected a non-empty string, got ${JSON.stringify(s)}`);
    const bad = imageScopeError(s);
    if (bad !== null) throw err(`spec.scopes[${i}]`, `${JSON.stringify(s)}: ${bad} (the API server refuses it)`);
    return s;
  });
  const pol = obj(spec.policy, 'spec.policy');
  const root = obj(pol.rootOfTrust, 'spec.policy.rootOfTrust');
  const type = root.policyType;
  if (typeof type !== 'string' || !ROOTS.includes(type as RootOfTrustType)) {
    throw err('spec.policy.rootOfTrust.policyType', `expected one of ${ROOTS.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const policy: SigstorePolicySpec = { policyType: type as RootOfTrustType };
  // types_image_policy.go PolicyRootOfTrust XValidation: the member named by policyType is required, the others forbidden.
  const member: Record<RootOfTrustType, string> = { PublicKey: 'publicKey', FulcioCAWithRekor: 'fulcioCAWithRekor', PKI: 'pki' };
  for (const r of ROOTS) {
    const present = root[member[r]] !== undefined && root[member[r]] !== null;
    if (r === type && !present) throw err(`spec.policy.rootOfTrust.${member[r]}`, `${member[r]} is required when policyType is ${r}, and forbidden otherwise`);
    if (r !== type && present) throw err(`spec.policy.rootOfTrust.${member[r]}`, `${member[r]} is required when policyType is ${r}, and forbidden otherwise`);
  }
  const bytes = (o: Obj, key: string, path: string, required: boolean): Buffer | undefined => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) throw err(`${path}.${key}`, 'required (base64-encoded PEM)');
      return undefined;
    }
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(v)) throw err(`${path}.${key}`, 'expected base64 data (Go []byte)');
    const clean = v.replace(/[\r\n]/g, '');
    if (clean.length % 4 !== 0) throw err(`${path}.${key}`, 'illegal base64 data: length is not a multiple of 4');
    return Buffer.from(clean, 'base64');
  };
  const str = (o: Obj, key: string, path: string): string => {
    const v = o[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw err(`${path}.${key}`, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const base = 'spec.policy.rootOfTrust';
  if (type === 'PublicKey') {
    const pk = obj(root.publicKey, `${base}.publicKey`);
    const rekor = bytes(pk, 'rekorKeyData', `${base}.publicKey`, false);
    policy.publicKey = { keyData: bytes(pk, 'keyData', `${base}.publicKey`, true) as Buffer, ...(rekor ? { rekorKeyData: rekor } : {}) };
  } else if (type === 'FulcioCAWithRekor') {
    const p = `${base}.fulcioCAWithRekor`;
    const f = obj(root.fulcioCAWithRekor, p);
    const subj = obj(f.fulcioSubject, `${p}.fulcioSubject`);
    policy.fulcioCAWithRekor = {
      fulcioCAData: bytes(f, 'fulcioCAData', p, true) as Buffer,
      rekorKeyData: bytes(f, 'rekorKeyData', p, true) as Buffer,
      oidcIssuer: str(subj, 'oidcIssuer', `${p}.fulcioSubject`),
      signedEmail: str(subj, 'signedEmail', `${p}.fulcioSubject`),
    };
  } else {
    const p = `${base}.pki`;
    const f = obj(root.pki, p);
    const subj = obj(f.pkiCertificateSubject, `${p}.pkiCertificateSubject`);
    const inter = bytes(f, 'caIntermediatesData', p, false);
    const email = str(subj, 'email', `${p}.pkiCertificateSubject`);
    const hostname = str(subj, 'hostname', `${p}.pkiCertificateSubject`);
    if (email === '' && hostname === '') throw err(`${p}.pkiCertificateSubject`, 'at least one of email or hostname must be set in pkiCertificateSubject');
    policy.pki = { caRootsData: bytes(f, 'caRootsData', p, true) as Buffer, ...(inter ? { caIntermediatesData: inter } : {}), email, hostname };
  }
  const si = pol.signedIdentity;
  if (si !== undefined && si !== null) {
    const o = obj(si, 'spec.policy.signedIdentity');
    const mp = o.matchPolicy;
    // v1alpha1 had a non-pointer signedIdentity: an empty one reached the MCO (≤ 4.18) as matchPolicy "", which it
    // took as MatchRepoDigestOrExact (helpers.go policyItemFromSpec `case …MatchRepoDigestOrExact, "":`); v1 requires it.
    if (mp === undefined || mp === null || mp === '') return { kind, origin, namespace, scopes, ...(scopeLines !== undefined ? { scopeLines } : {}), policy };
    if (typeof mp !== 'string' || !MATCH.includes(mp as MatchPolicy)) {
      throw err('spec.policy.signedIdentity.matchPolicy', `expected one of ${MATCH.join(', ')}, got ${JSON.stringify(mp)}`);
    }
    const sp = 'spec.policy.signedIdentity';
    if (mp === 'ExactRepository') {
      const e = obj(o.exactRepository, `${sp}.exactRepository`, 'exactRepository is required when matchPolicy is ExactRepository');
      policy.signedIdentity = { matchPolicy: mp, exactRepository: str(e, 'repository', `${sp}.exactRepository`) };
    } else if (mp === 'RemapIdentity') {
      const r = obj(o.remapIdentity, `${sp}.remapIdentity`, 'remapIdentity is required when matchPolicy is RemapIdentity');
      policy.signedIdentity = { matchPolicy: mp, remapPrefix: str(r, 'prefix', `${sp}.remapIdentity`), remapSignedPrefix: str(r, 'signedPrefix', `${sp}.remapIdentity`) };
    } else {
      policy.signedIdentity = { matchPolicy: mp as MatchPolicy };
    }
  }
  return { kind, origin, namespace, scopes, ...(scopeLines !== undefined ? { scopeLines } : {}), policy };

  function obj(v: unknown, key: string, missing = 'required: expected a mapping'): Obj {
    if (v === undefined || v === null) throw err(key, missing);
    if (typeof v !== 'object' || Array.isArray(v)) throw err(key, 'expected a mapping');
    return v as Obj;
  }
}
