/**
 * The OpenShift objects the Machine Config Operator reads to render a node's container files,
 * reduced to the fields it uses. Each object keeps where it came from so findings can name the file.
 */

import type { ImagePolicyObject } from './image-policies.ts';

/** Where an object (and a finding about it) came from: the file and the document index inside it. */
import type { ClusterNetworkFacts, InfrastructureFacts, ProxyObject } from './proxy-env.ts';

export interface ObjectOrigin {
  file: string;
  /** 0-based YAML document index within the file (items of a `kind: List` share their document's index). */
  document: number;
  kind: string;
  name: string;
  /** 1-based line where the object starts in `file` (its first key), when read from YAML. */
  line?: number;
}

/** `image.config.openshift.io/cluster` `spec.registrySources` (null = field absent, [] = present but empty). */
export interface RegistrySources {
  insecureRegistries: string[] | null;
  blockedRegistries: string[] | null;
  allowedRegistries: string[] | null;
  containerRuntimeSearchRegistries: string[] | null;
}

export interface ImageConfig {
  origin: ObjectOrigin;
  registrySources: RegistrySources;
  /** Line of each list item, per field (same order as the lists), for provenance of rendered entries. */
  itemLines?: Partial<Record<keyof RegistrySources, (number | undefined)[]>>;
}

export type MirrorSourcePolicy = '' | 'NeverContactSource' | 'AllowContactingSource';

/** One `source` → `mirrors` rule of an ICSP (`repositoryDigestMirrors`), IDMS or ITMS. */
export interface MirrorRule {
  source: string;
  mirrors: string[];
  /** Always '' for ImageContentSourcePolicy (it has no such field). */
  mirrorSourcePolicy: MirrorSourcePolicy;
  /** The YAML key path of this rule, e.g. `spec.imageDigestMirrors[2]`. */
  key: string;
  /** 1-based line of the rule in its object's file, when read from YAML. */
  line?: number;
}

export type MirrorKind = 'ImageContentSourcePolicy' | 'ImageDigestMirrorSet' | 'ImageTagMirrorSet';

export interface MirrorSetObject {
  kind: MirrorKind;
  origin: ObjectOrigin;
  rules: MirrorRule[];
}

/** Everything read from the input files, in input order. */
export interface OpenShiftObjects {
  /** The `cluster` Image object, if one was given. */
  image: ImageConfig | null;
  icsp: MirrorSetObject[];
  idms: MirrorSetObject[];
  itms: MirrorSetObject[];
  /** ClusterImagePolicy and ImagePolicy objects, in input order (absent: none given). */
  imagePolicies?: ImagePolicyObject[];
  /** `ClusterVersion/version` `status.desired.image`, when a ClusterVersion object was given. */
  releaseImage: string | null;
  /** Things skipped or assumed while reading (unrelated kinds, Image objects not named `cluster`). */
  notes: string[];
  /** proxy.config.openshift.io "cluster", and what CNO reads to merge its noProxy (src/openshift/proxy-env.ts). */
  proxy?: ProxyObject | null;
  network?: ClusterNetworkFacts | null;
  infrastructure?: InfrastructureFacts | null;
}

/** A validation error or a documentation warning, naming the file and key it is about. */
export interface Finding {
  /** Stable identifier, e.g. `invalid-source`, `allowed-missing-payload-registry`. */
  code: string;
  message: string;
  file?: string;
  /** YAML key path, e.g. `spec.registrySources.blockedRegistries[1]`. */
  key?: string;
  /** 1-based line in `file` of the rule or list item the key is in, when known. */
  line?: number;
}
