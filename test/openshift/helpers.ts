/** Builds OpenShiftObjects from compact test inputs (one object per mirror list, like separate YAML objects). */
import type { MirrorKind, MirrorSetObject, MirrorSourcePolicy, OpenShiftObjects } from '../../src/openshift/types.ts';

export type RuleSpec = [source: string, mirrors: string[], policy?: MirrorSourcePolicy];

export interface Spec {
  insecure?: string[];
  blocked?: string[];
  allowed?: string[];
  search?: string[];
  /** Each inner array is one object's rules. */
  icsp?: RuleSpec[][];
  idms?: RuleSpec[][];
  itms?: RuleSpec[][];
  noImage?: boolean;
}

export function objs(spec: Spec): OpenShiftObjects {
  const set = (kind: MirrorKind, rules: RuleSpec[], i: number): MirrorSetObject => ({
    kind,
    origin: { file: `${kind.toLowerCase()}-${i}.yaml`, document: 0, kind, name: `obj${i}` },
    rules: rules.map(([source, mirrors, policy], j) => ({ source, mirrors, mirrorSourcePolicy: policy ?? '', key: `spec.rules[${j}]` })),
  });
  return {
    image: spec.noImage
      ? null
      : {
          origin: { file: 'image.yaml', document: 0, kind: 'Image', name: 'cluster' },
          registrySources: {
            insecureRegistries: spec.insecure ?? null,
            blockedRegistries: spec.blocked ?? null,
            allowedRegistries: spec.allowed ?? null,
            containerRuntimeSearchRegistries: spec.search ?? null,
          },
        },
    icsp: (spec.icsp ?? []).map((r, i) => set('ImageContentSourcePolicy', r, i)),
    idms: (spec.idms ?? []).map((r, i) => set('ImageDigestMirrorSet', r, i)),
    itms: (spec.itms ?? []).map((r, i) => set('ImageTagMirrorSet', r, i)),
    releaseImage: null,
    notes: [],
  };
}

export const HEADER = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\nadditional-layer-store-auth-helper = ""\n';
