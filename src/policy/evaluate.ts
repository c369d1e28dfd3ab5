/**
 * policy.json evaluation for a docker reference, as containers/image `PolicyContext.IsRunningImageAllowed`
 * does it: pick the requirements by scope precedence (exact identity, repository and its parent
 * namespaces up to host[:port], `*.` wildcard domains, the transport's "" default, the global default),
 * then every requirement must allow, in order. Signatures are not verified here: signedBy and
 * sigstoreSigned are reported as needing a valid signature and the verdict says so (allowed = null).
 * Pulls through mirrors are judged on this (logical) reference, never on the mirror's.
 */
import { dockerRefString, familiarString, parseDockerTransportRef, type DockerRef } from './docker-reference.ts';
import type { JsonValue } from './strict-json.ts';
import type { Policy, PolicyRequirement, PolicyVerdict, RequirementVerdict, ScopeMatch } from './types.ts';

/** Said in a verdict that needs signatures; the pull engine replaces it once it has verified them. */
export const SIGNATURES_NOT_CHECKED = 'signatures were not checked';

/** `docker/policyconfiguration` identity: name plus `:tag` or `@digest`. */
export function policyIdentity(ref: DockerRef): string {
  return ref.digest !== null ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? 'latest'}`;
}

/**
 * `PolicyConfigurationNamespaces`: the repository, each parent namespace down to host[:port], then
 * `*.`-wildcards of the host (port stripped) dropping one label at a time.
 * `example.com/ns/repo` → example.com/ns/repo, example.com/ns, example.com, *.com.
 */
export function policyNamespaces(ref: DockerRef): string[] {
  const out: string[] = [];
  let name = ref.name;
  for (;;) {
    out.push(name);
    const slash = name.lastIndexOf('/');
    if (slash === -1) break;
    name = name.slice(0, slash);
  }
  let host = ref.domain.replace(/:[0-9]+$/, '');
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.')) {
    host = host.slice(dot + 1);
    out.push(`*.${host}`);
  }
  return out;
}

export interface SelectedRequirements {
  scope: string;
  scopeMatch: ScopeMatch;
  requirements: PolicyRequirement[];
}

/** `requirementsForImageRef`: which policy entry applies to `ref` under `transport`. */
export function selectRequirements(policy: Policy, ref: DockerRef, transport = 'docker'): SelectedRequirements {
  const scopes = policy.transports.get(transport);
  if (scopes !== undefined) {
    const identity = policyIdentity(ref);
    const hit = scopes.get(identity);
    if (hit !== undefined) return { scope: identity, scopeMatch: 'identity', requirements: hit };
    for (const ns of policyNamespaces(ref)) {
      const reqs = scopes.get(ns);
      if (reqs === undefined) continue;
      const scopeMatch: ScopeMatch = ns.startsWith('*.') ? 'wildcard' : ns === ref.name ? 'repository' : ns === ref.domain ? 'host' : 'namespace';
      return { scope: ns, scopeMatch, requirements: reqs };
    }
    const def = scopes.get('');
    if (def !== undefined) return { scope: '', scopeMatch: 'transport-default', requirements: def };
  }
  return { scope: 'default', scopeMatch: 'global-default', requirements: policy.default };
}

export interface EvaluateOptions {
  /** Transport name; only `docker` references are parsed here. */
  transport?: string;
}

/** Evaluates the policy for a docker reference (`quay.io/ns/app:1.4`, `busybox`, `…@sha256:…`). */
export function evaluatePolicy(policy: Policy, reference: string | DockerRef, opts: EvaluateOptions = {}): PolicyVerdict {
  const transport = opts.transport ?? 'docker';
  const ref = typeof reference === 'string' ? parseDockerTransportRef(reference) : reference;
  const imageName = `${transport}://${familiarString(ref)}`;
  const sel = selectRequirements(policy, ref, transport);
  const verdicts: RequirementVerdict[] = [];
  let rejection: string | null = null;
  for (const req of sel.requirements) {
    const v = judge(req, imageName);
    verdicts.push(v);
    // The runtime stops at the first denial; a reject after a signature requirement still denies.
    if (v.outcome === 'reject') {
      rejection = v.detail;
      break;
    }
  }
  const needSig = verdicts.filter((v) => v.outcome === 'requires-signature');
  const where = describeScope(policy, transport, sel);
  let allowed: boolean | null;
  let message: string;
  if (rejection !== null) {
    allowed = false;
    message = rejection;
  } else if (needSig.length > 0) {
    allowed = null;
    // Each detail reads "requires a valid … signature (key …)": the image is allowed only when they all verify.
    message = `${imageName} ${needSig.map((v) => v.detail).join(' and ')}; ${SIGNATURES_NOT_CHECKED} (${where})`;
  } else {
    allowed = true;
    message = `${imageName} is accepted by policy (${where}: insecureAcceptAnything)`;
  }
  return {
    reference: dockerRefString(ref),
    imageName,
    transport,
    allowed,
    scope: sel.scope,
    scopeMatch: sel.scopeMatch,
    requirements: verdicts,
    message,
  };
}

function describeScope(policy: Policy, transport: string, sel: SelectedRequirements): string {
  if (sel.scopeMatch === 'global-default') return `${policy.file}: default`;
  return `${policy.file}: transports.${transport}[${JSON.stringify(sel.scope)}]`;
}

function judge(req: PolicyRequirement, imageName: string): RequirementVerdict {
  const f = req.fields;
  switch (req.type) {
    case 'insecureAcceptAnything':
      return { type: req.type, outcome: 'accept', detail: 'insecureAcceptAnything accepts any image' };
    case 'reject':
      return { type: req.type, outcome: 'reject', detail: `Running image ${imageName} is rejected by policy.` };
    case 'signedBaseLayer':
      return { type: req.type, outcome: 'reject', detail: 'signedBaseLayer not implemented yet!' };
    case 'signedBy':
      // Only GPG keys are implemented by containers/image; the other keyTypes always deny.
      if (f.keyType !== 'GPGKeys') return { type: req.type, outcome: 'reject', detail: `Unimplemented "keyType" value ${JSON.stringify(f.keyType)}` };
      return { type: req.type, outcome: 'requires-signature', detail: `requires a valid signature (key ${keyDescription(f)}${identityNote(f.signedIdentity)})` };
    case 'sigstoreSigned':
      return { type: req.type, outcome: 'requires-signature', detail: `requires a valid sigstore signature (key ${keyDescription(f)}${identityNote(f.signedIdentity)})` };
  }
}

function keyDescription(f: Record<string, JsonValue>): string {
  if (typeof f.keyPath === 'string') return f.keyPath;
  if (Array.isArray(f.keyPaths)) return f.keyPaths.join(', ');
  if (typeof f.keyData === 'string') return 'inline keyData';
  if (Array.isArray(f.keyDatas)) return `${f.keyDatas.length} inline keyDatas`;
  if (f.fulcio !== undefined) {
    const fu = f.fulcio as Record<string, JsonValue>;
    return `Fulcio, issuer ${String(fu.oidcIssuer)}, subject ${String(fu.subjectEmail)}`;
  }
  if (f.pki !== undefined) return 'PKI certificate';
  return 'unknown';
}

function identityNote(v: JsonValue | undefined): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return '';
  const t = v.type;
  if (t === 'matchRepoDigestOrExact' || t === undefined) return '';
  if (t === 'remapIdentity') return `; identity ${String(v.prefix)} signed as ${String(v.signedPrefix)}`;
  if (t === 'exactReference') return `; identity must be ${String(v.dockerReference)}`;
  if (t === 'exactRepository') return `; identity must be in ${String(v.dockerRepository)}`;
  return `; identity ${String(t)}`;
}
