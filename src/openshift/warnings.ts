/**
 * Warnings for what OpenShift's documentation ("Image configuration resources") warns about but the MCO
 * accepts: an allowedRegistries list that leaves out the registries the payload and operators pull from,
 * blocking them, insecure external registries, public registries in containerRuntimeSearchRegistries
 * (pull credentials are sent to every one), and scopes with a tag, which registries.conf never matches.
 */
import { scopeIsNestedInsideScope } from './scopes.ts';
import type { Finding, RegistrySources } from './types.ts';

export const INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';
const PAYLOAD_REGISTRIES = ['registry.redhat.io', 'quay.io', INTERNAL_REGISTRY];

/** Registries anyone can push to or that need per-registry credentials; not an exhaustive list. */
const PUBLIC_REGISTRIES = [
  'docker.io', 'index.docker.io', 'registry-1.docker.io', 'quay.io', 'registry.redhat.io', 'registry.access.redhat.com',
  'gcr.io', 'ghcr.io', 'registry.k8s.io', 'k8s.gcr.io', 'public.ecr.aws', 'mcr.microsoft.com', 'registry.gitlab.com',
  'nvcr.io', 'docker.elastic.co', 'registry.connect.redhat.com',
];

export function documentationWarnings(rs: RegistrySources, file: string | undefined, payloadRepo: string | null): Finding[] {
  const out: Finding[] = [];
  const w = (code: string, message: string, key: string): void => {
    out.push({ code, message, key, ...(file === undefined ? {} : { file }) });
  };
  const allowed = rs.allowedRegistries;
  if (allowed !== null && allowed.length > 0) {
    for (const reg of PAYLOAD_REGISTRIES) {
      if (!allowed.some((s) => coversHost(s, reg))) {
        w(
          'allowed-missing-payload-registry',
          `allowedRegistries does not include ${reg}: every other registry is rejected by policy.json, and payload and operator images pulled from ${reg} will fail (add ${reg}, and your mirror registries on a disconnected cluster)`,
          'spec.registrySources.allowedRegistries',
        );
      }
    }
    if (payloadRepo !== null && !allowed.some((s) => scopeIsNestedInsideScope(payloadRepo, s) || coversHost(s, payloadRepo.split('/')[0] ?? ''))) {
      w('allowed-missing-release-image', `allowedRegistries does not cover the release image repository ${payloadRepo}: the payload will be rejected by policy`, 'spec.registrySources.allowedRegistries');
    }
    (rs.insecureRegistries ?? []).forEach((s, i) => {
      if (!allowed.some((a) => scopeIsNestedInsideScope(s, a))) {
        w('insecure-not-allowed', `insecure registry ${s} is not in allowedRegistries, so its images are rejected by policy (the documentation asks to list insecure registries in allowedRegistries too)`, `spec.registrySources.insecureRegistries[${i}]`);
      }
    });
  }
  (rs.blockedRegistries ?? []).forEach((s, i) => {
    for (const reg of PAYLOAD_REGISTRIES) {
      if (coversHost(s, reg)) {
        w('blocked-payload-registry', `blockedRegistries includes ${s}, which blocks ${reg}; payload images need it and pods will fail to pull (do not block registry.redhat.io or quay.io)`, `spec.registrySources.blockedRegistries[${i}]`);
      }
    }
  });
  (rs.insecureRegistries ?? []).forEach((s, i) => {
    if (isExternal(s)) {
      w('insecure-external-registry', `insecureRegistries includes ${s}: TLS is not verified for it; avoid insecure external registries to reduce security risks`, `spec.registrySources.insecureRegistries[${i}]`);
    }
  });
  const search = rs.containerRuntimeSearchRegistries ?? [];
  search.forEach((s, i) => {
    if (PUBLIC_REGISTRIES.includes(s)) {
      w('public-search-registry', `containerRuntimeSearchRegistries includes the public registry ${s}: short names are tried on every listed registry and your pull credentials are exposed to all of them; use fully qualified names for public images`, `spec.registrySources.containerRuntimeSearchRegistries[${i}]`);
    }
  });
  for (const field of ['insecureRegistries', 'blockedRegistries', 'allowedRegistries'] as const) {
    (rs[field] ?? []).forEach((s, i) => {
      const path = s.includes('/') ? s.slice(s.indexOf('/')) : '';
      if (/[:@]/.test(path)) {
        w(
          'scope-with-tag',
          `${s} carries a tag or digest: current API servers reject it, and ${field === 'allowedRegistries' ? 'policy.json applies it to that exact tag only' : 'registries.conf never matches such an entry (containers/image#1043)'}`,
          `spec.registrySources.${field}[${i}]`,
        );
      }
    });
  }
  return out;
}

/** Whether a policy scope allows/blocks everything on `host` (the host itself or a `*.` wildcard over it). */
function coversHost(scope: string, host: string): boolean {
  if (scope === host) return true;
  if (scope.startsWith('*.')) return host.split(':')[0]?.endsWith(scope.slice(1)) ?? false;
  return false;
}

/** Heuristic: loopback, cluster-internal and private-address hosts are not "external". */
function isExternal(scope: string): boolean {
  const host = (scope.split('/')[0] ?? '').replace(/:[0-9]+$/, '').replace(/^\*\./, '');
  if (host === 'localhost' || /\.(svc|local|internal|cluster\.local|localdomain|lan|home\.arpa)$/.test(host) || !host.includes('.')) return false;
  if (/^127\.|^10\.|^192\.168\.|^172\.(1[6-9]|2[0-9]|3[01])\./.test(host)) return false;
  return true;
}
