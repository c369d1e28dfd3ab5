/**
 * MCO `getValidBlockedAndAllowedRegistries`: the release payload must stay pullable, so a blocked scope
 * that contains the payload repository is kept only when a digest mirror outside every blocked scope
 * serves it; otherwise it is dropped (the MCO logs the error and carries on). When kept, the payload
 * repository is allowed in policy.json so pulls through the mirrors pass (policy judges the source name).
 */
import { parseCanonicalDockerRef, type DockerRef } from '../policy/docker-reference.ts';
import { PullpathError } from '../errors.ts';
import { editRegistriesConfig, registryScope } from './edit-registries.ts';
import { emptyNodeConf, type NodeRegistry } from './node-registries-conf.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';
import type { MirrorRule } from './types.ts';

type Rule = Pick<MirrorRule, 'source' | 'mirrors' | 'mirrorSourcePolicy'>;

export interface BlockedAndAllowed {
  registriesBlocked: string[] | null;
  policyBlocked: string[] | null;
  allowed: string[] | null;
  /** The MCO's non-fatal error (it logs `<err>, skipping....`), or null. */
  droppedError: string | null;
}

export const ERR_PARSING_RELEASE = 'error parsing reference of release image';

/** Parses the release image as the MCO does (`reference.ParseNamed`: must be fully qualified). */
export function parsePayloadRef(releaseImage: string): DockerRef {
  try {
    return parseCanonicalDockerRef(releaseImage);
  } catch {
    throw new PullpathError('PP_ERR_OPENSHIFT_RELEASE_IMAGE', `${ERR_PARSING_RELEASE} (${JSON.stringify(releaseImage)}: expected a fully qualified reference such as quay.io/openshift-release-dev/ocp-release@sha256:…)`);
  }
}

export function validBlockedAndAllowed(
  payload: DockerRef,
  insecure: string[] | null,
  blocked: string[] | null,
  allowedRegistries: string[] | null,
  digestRules: Rule[],
  legacyIcsp: boolean,
): BlockedAndAllowed {
  let registriesBlocked: string[] | null = null;
  let policyBlocked: string[] | null = null;
  let allowed: string[] | null = null;
  const dropped: string[] = [];
  const payloadRepo = payload.name;
  for (const reg of blocked ?? []) {
    if (!scopeIsNestedInsideScope(payloadRepo, reg)) {
      (registriesBlocked ??= []).push(reg);
      (policyBlocked ??= []).push(reg);
      continue;
    }
    if (!payloadHasUnblockedMirror(payload, insecure ?? [], blocked ?? [], digestRules, legacyIcsp)) {
      dropped.push(reg);
      continue;
    }
    (registriesBlocked ??= []).push(reg);
    if (reg !== payloadRepo) (policyBlocked ??= []).push(reg);
    (allowed ??= []).push(payloadRepo);
  }
  // Go's append(nil, empty...) stays nil: an empty allowedRegistries list changes nothing.
  if (allowedRegistries !== null && allowedRegistries.length > 0) allowed = [...(allowed ?? []), ...allowedRegistries];
  const droppedError =
    dropped.length > 0
      ? `error adding [${dropped.map((d) => JSON.stringify(d)).join(' ')}] to blocked registries, cannot block the repository being used by the payload`
      : null;
  return { registriesBlocked, policyBlocked, allowed, droppedError };
}

/** MCO `payloadRepoHasUnblockedMirror`: some pull source of the payload is outside every blocked scope. */
function payloadHasUnblockedMirror(payload: DockerRef, insecure: string[], blocked: string[], digestRules: Rule[], legacyIcsp: boolean): boolean {
  const conf = emptyNodeConf();
  editRegistriesConfig(conf, { insecure, blocked, digestRules, tagRules: [], legacyIcsp });
  const reg = findRegistry(conf.registries ?? [], payload.name);
  const sources = reg === null ? [payload.name] : pullSourceNames(reg, payload);
  return sources.some((name) => !blocked.some((b) => scopeIsNestedInsideScope(name, b)));
}

/** containers/image `FindRegistry` on a freshly edited config: the longest matching prefix wins. */
export function findRegistry(regs: NodeRegistry[], name: string): NodeRegistry | null {
  let best: NodeRegistry | null = null;
  let bestLen = -1;
  for (const reg of regs) {
    const prefix = registryScope(reg);
    if (prefixMatches(name, prefix) && prefix.length > bestLen) {
      best = reg;
      bestLen = prefix.length;
    }
  }
  return best;
}

function prefixMatches(name: string, prefix: string): boolean {
  if (prefix.startsWith('*.')) {
    const idx = name.indexOf(prefix.slice(1));
    if (idx === -1 || name.slice(0, idx).includes('/')) return false;
    const after = name[idx + prefix.length - 1];
    return after === undefined || after === ':' || after === '/' || after === '@';
  }
  if (!name.startsWith(prefix)) return false;
  const after = name[prefix.length];
  return after === undefined || after === ':' || after === '/' || after === '@';
}

/** Repository names of `PullSourcesFromReference(ref)`, mirrors first, the primary location last. */
function pullSourceNames(reg: NodeRegistry, ref: DockerRef): string[] {
  const prefix = registryScope(reg);
  const rewrite = (location: string): string => (location === '' ? ref.name : location + ref.name.slice(prefix.length));
  const isDigest = ref.digest !== null;
  const out: string[] = [];
  for (const m of reg.mirrors) {
    if (reg.mirrorByDigestOnly && !isDigest) continue;
    if (m.pullFromMirror === 'digest-only' && !isDigest) continue;
    if (m.pullFromMirror === 'tag-only' && isDigest) continue;
    out.push(rewrite(m.location));
  }
  out.push(rewrite(reg.location));
  return out;
}
