/**
 * Pitfalls of ClusterImagePolicy / ImagePolicy that the MCO renders without complaint but that make pulls fail
 * (or the policy not apply) on the node. Reported by `render openshift` and `lint --openshift`.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { ImagePolicyObject } from './image-policies.ts';
import type { NodeRegistriesConf } from './node-registries-conf.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';
import { attachmentSources, registryIndex } from './sigstore-registries-d.ts';
import type { Finding } from './types.ts';

export interface ImagePolicyWarningInput {
  policies: ImagePolicyObject[];
  blocked: string[] | null;
  /** The registries.conf the node ends up with (rendered, or the template when the MCO leaves it alone). */
  nodeConf: NodeRegistriesConf | null;
  /** Keys of the rendered sigstore-registries.yaml. */
  attachmentScopes: string[];
}

export function imagePolicyWarnings(inp: ImagePolicyWarningInput): Finding[] {
  const out: Finding[] = [];
  const index = inp.nodeConf === null ? undefined : registryIndex(inp.nodeConf);
  const attachmentKeys = new Set(inp.attachmentScopes);
  for (const p of inp.policies) {
    const what = `${p.kind} ${p.kind === 'ImagePolicy' ? `${p.namespace}/` : ''}${p.origin.name}`;
    const at = (key: string, i?: number): Pick<Finding, 'file' | 'key' | 'line'> => {
      const line = i !== undefined ? p.scopeLines?.[i] : undefined;
      return { file: p.origin.file, key, ...((line ?? p.origin.line) !== undefined ? { line: line ?? p.origin.line } : {}) };
    };
    out.push(...keyWarnings(p, what, at));
    out.push(...remapWarnings(p, what, at));
    p.scopes.forEach((scope, i) => {
      // Policy evaluation takes the most specific scope: a blocked scope inside this one rejects outright, so the
      // signature policy never applies there (the MCO only refuses the opposite nesting).
      for (const b of inp.blocked ?? []) {
        if (b !== scope && scopeIsNestedInsideScope(b, scope)) {
          out.push({ code: 'image-policy-blocked-inside-scope', message: `${what}: scope ${scope} contains blocked registry ${b}: images there are rejected before any signature is checked`, ...at(`spec.scopes[${i}]`, i) });
        }
      }
      // Signatures are read only from the source that served the image, and only where registries.d enables attachments for it.
      for (const src of attachmentSources(scope, inp.nodeConf, index)) {
        if (!attachmentKeys.has(src) && !inp.attachmentScopes.some((k) => registriesDMatches(k, src))) {
          out.push({
            code: 'image-policy-mirror-without-attachments',
            message: `${what}: ${src} serves scope ${scope} but no /etc/containers/registries.d entry enables use-sigstore-attachments for it: pulls from it find no signature and are rejected (the MCO only adds mirrors it renders itself)`,
            ...at(`spec.scopes[${i}]`, i),
          });
        }
      }
    });
  }
  return out;
}

function keyWarnings(p: ImagePolicyObject, what: string, at: (key: string) => Pick<Finding, 'file' | 'key' | 'line'>): Finding[] {
  const out: Finding[] = [];
  const base = 'spec.policy.rootOfTrust';
  const key = (data: Buffer | undefined, field: string): void => {
    if (data === undefined) return;
    try {
      createPublicKey(data.toString('utf8'));
    } catch (err) {
      out.push({ code: 'image-policy-key-unparsable', message: `${what}: ${field} is not a PEM public key the runtime can use (${(err as Error).message}): every signature check under this policy fails`, ...at(`${base}.${field}`) });
    }
  };
  const certs = (data: Buffer | undefined, field: string): void => {
    if (data === undefined) return;
    const blocks = data.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    const bad = blocks.length === 0 ? 'no PEM certificate found' : blocks.map((b) => { try { new X509Certificate(b); return null; } catch (err) { return (err as Error).message; } }).find((e) => e !== null);
    if (bad) out.push({ code: 'image-policy-key-unparsable', message: `${what}: ${field} does not hold parseable PEM certificates (${bad}): every signature check under this policy fails`, ...at(`${base}.${field}`) });
  };
  key(p.policy.publicKey?.keyData, 'publicKey.keyData');
  key(p.policy.publicKey?.rekorKeyData, 'publicKey.rekorKeyData');
  key(p.policy.fulcioCAWithRekor?.rekorKeyData, 'fulcioCAWithRekor.rekorKeyData');
  certs(p.policy.fulcioCAWithRekor?.fulcioCAData, 'fulcioCAWithRekor.fulcioCAData');
  certs(p.policy.pki?.caRootsData, 'pki.caRootsData');
  certs(p.policy.pki?.caIntermediatesData, 'pki.caIntermediatesData');
  return out;
}

/**
 * containers/image prmRemapIdentity: the pulled name is rewritten only when it starts with `prefix` (at a `/`
 * boundary, or equal). Images are judged under this policy only when they fall in one of its scopes, so a prefix
 * that overlaps no scope never applies and the signatures must then claim the pulled name itself.
 */
function remapWarnings(p: ImagePolicyObject, what: string, at: (key: string) => Pick<Finding, 'file' | 'key' | 'line'>): Finding[] {
  const id = p.policy.signedIdentity;
  if (id?.matchPolicy !== 'RemapIdentity') return [];
  const prefix = id.remapPrefix ?? '';
  const overlaps = p.scopes.some((s) => {
    const bare = s.replace(/@.*$/, '');
    return scopeIsNestedInsideScope(bare, prefix) || scopeIsNestedInsideScope(prefix, bare);
  });
  if (overlaps) return [];
  return [{
    code: 'image-policy-remap-cannot-match',
    message: `${what}: remapIdentity prefix ${prefix} lies outside every scope (${p.scopes.join(', ')}): no image judged by this policy starts with it, so signatures must name the pulled image itself`,
    ...at('spec.policy.signedIdentity.remapIdentity.prefix'),
  }];
}

/** containers/image docker/registries_d.go: a `docker:` key applies to a repository it equals or contains (host, namespace, repo); `*.x` to subdomains. */
function registriesDMatches(key: string, repo: string): boolean {
  if (key.startsWith('*.')) {
    const host = repo.split('/')[0] ?? '';
    return host.endsWith(key.slice(1));
  }
  return repo === key || repo.startsWith(`${key}/`);
}
