/**
 * `renderOpenShift`: the MCO's container-runtime-config controller as a pure function. Objects in, the
 * node files out (`/etc/containers/registries.conf`, `/etc/containers/policy.json`,
 * `/etc/containers/registries.conf.d/01-image-searchRegistries.conf`, and for ClusterImagePolicy/ImagePolicy
 * `/etc/containers/registries.d/sigstore-registries.yaml` and `/etc/crio/policies/<namespace>.json`), with the
 * MCO's validation errors, the documentation's warnings, and notes about what was assumed.
 * Order of work as container_runtime_config_controller.go `syncImageConfig` → `registriesConfigIgnition`.
 */
import { PullpathError } from '../errors.ts';
import type { DockerRef } from '../policy/docker-reference.ts';
import { editRegistriesConfig } from './edit-registries.ts';
import { emptyNodeConf } from './node-registries-conf.ts';
import { parsePayloadRef, validBlockedAndAllowed } from './payload.ts';
import { validScopePolicies, type ImagePolicyObject } from './image-policies.ts';
import type { NodeRegistriesConf } from './node-registries-conf.ts';
import { updateNamespacedPolicyJsons, updatePolicyJson } from './policy-json.ts';
import { SIGSTORE_REGISTRIES_PATH, sigstoreRegistriesYaml } from './sigstore-registries-d.ts';
import { imagePolicyWarnings } from './image-policy-warnings.ts';
import { decodeRegistriesTemplate } from './template-conf.ts';
import { stockTemplates, type Templates } from './templates.ts';
import { encodeRegistriesConf } from './toml-encode.ts';
import type { Finding, MirrorRule, OpenShiftObjects, RegistrySources } from './types.ts';
import { validateObjects } from './validate.ts';
import { outputProfile, type OutputProfile } from './versions.ts';
import { documentationWarnings } from './warnings.ts';

export const NODE_PATHS = {
  registriesConf: '/etc/containers/registries.conf',
  policyJson: '/etc/containers/policy.json',
  searchRegistries: '/etc/containers/registries.conf.d/01-image-searchRegistries.conf',
  sigstoreRegistries: SIGSTORE_REGISTRIES_PATH,
} as const;

/** MCO pkg/daemon/constants `CrioPoliciesDir` + helpers.go `namespacedPolicyFilePathFormat`. */
export const namespacedPolicyPath = (namespace: string): string => `/etc/crio/policies/${namespace}.json`;

export interface RenderOptions {
  /** The payload (`ClusterVersion` `status.desired.image`); overrides a ClusterVersion among the objects. */
  releaseImage?: string;
  /** Base files the MCO starts from; the stock templates by default. */
  templates?: Templates;
  /** `current` (default) or a release line such as `4.12`. */
  ocpVersion?: string;
}

export interface RenderedFiles {
  /** The node's registries.conf: regenerated, or the template when the MCO would leave it alone. */
  registriesConf: string;
  policyJson: string;
  /** null when containerRuntimeSearchRegistries is unset (the MCO writes no drop-in). */
  searchRegistries: string | null;
  /** `sigstore-registries.yaml`; null without ClusterImagePolicy/ImagePolicy scopes (no file). */
  sigstoreRegistries?: string | null;
  /** `/etc/crio/policies/<namespace>.json` per namespace with ImagePolicies, sorted by namespace. */
  namespacedPolicies?: { namespace: string; path: string; json: string }[];
}

export interface RenderResult {
  files: RenderedFiles;
  /** Whether the MCO's MachineConfig carries the file (false: the node keeps the template). */
  generated: { registriesConf: boolean; policyJson: boolean };
  warnings: Finding[];
  /** Non-empty means the MCO would refuse these objects; `files` then hold the templates. */
  errors: Finding[];
  notes: string[];
  releaseImage: string | null;
  profile: OutputProfile;
}

const EMPTY_SOURCES: RegistrySources = {
  insecureRegistries: null,
  blockedRegistries: null,
  allowedRegistries: null,
  containerRuntimeSearchRegistries: null,
};

export function renderOpenShift(objects: OpenShiftObjects, opts: RenderOptions = {}): RenderResult {
  const profile = outputProfile(opts.ocpVersion);
  const templates = opts.templates ?? stockTemplates();
  const notes = [...objects.notes];
  const warnings: Finding[] = [];
  const errors: Finding[] = [];
  const rs = objects.image?.registrySources ?? EMPTY_SOURCES;
  const imageFile = objects.image?.origin.file;
  if (objects.image === null) notes.push('no image.config.openshift.io "cluster" object given: rendering with an empty spec (every cluster has one; the MCO renders nothing without it)');

  const result = (files: RenderedFiles, generated: RenderResult['generated']): RenderResult => ({
    files, generated, warnings, errors, notes, releaseImage, profile,
  });
  const unchanged = (): RenderResult => result({ registriesConf: templates.registriesConf, policyJson: templates.policyJson, searchRegistries: null }, { registriesConf: false, policyJson: false });

  const releaseImage = opts.releaseImage ?? objects.releaseImage;
  const imagePolicies = gateImagePolicies(objects.imagePolicies ?? [], profile, notes);
  let scoped: ReturnType<typeof validScopePolicies>;
  try {
    scoped = validScopePolicies(imagePolicies);
  } catch (err) {
    // getValidScopePolicies errors stop syncImageConfig: nothing is rendered.
    if (!(err instanceof PullpathError)) throw err;
    errors.push({ code: 'image-policy', message: err.message });
    return unchanged();
  }
  for (const c of scoped.conflicts) {
    warnings.push({ code: 'image-policy-scope-conflict', message: `ImagePolicy ${c.policy.namespace}/${c.policy.origin.name} ${c.message}`, file: c.policy.origin.file, key: 'spec.scopes', ...(c.policy.origin.line !== undefined ? { line: c.policy.origin.line } : {}) });
  }
  let payload: DockerRef | null = null;
  if (releaseImage === null) {
    notes.push('no release image (--release-image or a ClusterVersion object): blocked scopes that contain the payload repository are not checked against its mirrors');
  } else {
    try {
      payload = parsePayloadRef(releaseImage);
    } catch (err) {
      errors.push({ code: 'release-image', message: (err as Error).message, key: '--release-image' });
      return unchanged();
    }
  }

  // ICSP rules join the IDMS rules in one digest pool, after them (runtime-utils mergedDigestMirrorSets).
  const rules = (sets: { rules: MirrorRule[] }[]): MirrorRule[] => sets.flatMap((s) => s.rules);
  const digestRules = profile.legacyIcsp ? rules(objects.icsp) : [...rules(objects.idms), ...rules(objects.icsp)];
  const tagRules = profile.legacyIcsp ? [] : rules(objects.itms);

  let registriesBlocked = nonEmpty(rs.blockedRegistries);
  let policyBlocked = registriesBlocked;
  let allowed = nonEmpty(rs.allowedRegistries);
  if (payload !== null) {
    try {
      const bna = validBlockedAndAllowed(payload, rs.insecureRegistries, rs.blockedRegistries, rs.allowedRegistries, digestRules, profile.legacyIcsp);
      ({ registriesBlocked, policyBlocked, allowed } = bna);
      if (bna.droppedError !== null) {
        warnings.push({ code: 'payload-block-dropped', message: `${bna.droppedError}, skipping....`, key: 'spec.registrySources.blockedRegistries', ...(imageFile ? { file: imageFile } : {}) });
      }
    } catch (err) {
      if (!(err instanceof PullpathError)) throw err;
      errors.push({ code: 'payload-check', message: err.message });
      return unchanged();
    }
  }

  errors.push(...validateObjects(objects, { legacyIcsp: profile.legacyIcsp, rejectIcspWithMirrorSets: profile.rejectIcspWithMirrorSets, payloadRepo: payload?.name ?? null, policyBlocked, allowed }));
  warnings.push(...documentationWarnings(rs, imageFile, payload?.name ?? null));
  if (errors.length > 0) return unchanged();

  const regenerate =
    rs.insecureRegistries !== null || registriesBlocked !== null || objects.icsp.length > 0 || (!profile.legacyIcsp && (objects.idms.length > 0 || objects.itms.length > 0));
  let registriesConf = templates.registriesConf;
  let policyJson = templates.policyJson;
  let sigstoreRegistries: string | null = null;
  let namespacedPolicies: NonNullable<RenderedFiles['namespacedPolicies']> = [];
  const writePolicy = policyBlocked !== null || allowed !== null || scoped.cluster.size > 0 || scoped.namespaced.size > 0;
  let conf: NodeRegistriesConf | null = null;
  try {
    if (regenerate) {
      conf = decodeRegistriesTemplate(templates.registriesConf, templates.registriesConfFile, notes);
      editRegistriesConfig(conf, { insecure: rs.insecureRegistries ?? [], blocked: registriesBlocked ?? [], digestRules, tagRules, legacyIcsp: profile.legacyIcsp });
      registriesConf = encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: profile.additionalLayerStoreAuthHelper });
    }
    if (writePolicy) {
      policyJson = updatePolicyJson(templates.policyJson, templates.policyJsonFile, policyBlocked, allowed, {
        payloadRepo: payload?.name ?? null,
        indent: profile.policyIndent,
        filterAtomic: profile.filterAtomic,
        clusterPolicies: scoped.cluster,
      });
      // registriesConfigIgnition: namespaced policies inherit the cluster's rendered policy.json.
      namespacedPolicies = updateNamespacedPolicyJsons(policyJson, policyBlocked, allowed, scoped.namespaced, { indent: profile.policyIndent }).map(
        ([namespace, json]) => ({ namespace, path: namespacedPolicyPath(namespace), json }),
      );
      sigstoreRegistries = sigstoreRegistriesYaml([...scoped.cluster.keys(), ...scoped.namespaced.keys()], profile.sigstoreMirrors ? conf : null);
    }
  } catch (err) {
    if (!(err instanceof PullpathError)) throw err;
    const code = err.code === 'PP_ERR_CONFIG' || err.code.startsWith('PP_ERR_OPENSHIFT_TEMPLATE') ? 'template' : /clusterimage ?policy|imagePolicy/i.test(err.message) ? 'image-policy' : 'render';
    errors.push({ code, message: err.message });
    return unchanged();
  }

  if (imagePolicies.length > 0) {
    // The node keeps the template registries.conf when the MCO does not regenerate it; its mirrors serve pulls too.
    let nodeConf = conf;
    if (nodeConf === null) {
      try {
        nodeConf = decodeRegistriesTemplate(templates.registriesConf, templates.registriesConfFile, []);
      } catch {
        nodeConf = null;
      }
    }
    const attachmentScopes = sigstoreRegistries === null ? [] : [...sigstoreRegistries.matchAll(/^ {2}'?([^'\n]+?)'?:$/gm)].map((m) => m[1] as string);
    warnings.push(...imagePolicyWarnings({ policies: imagePolicies, blocked: policyBlocked, nodeConf, attachmentScopes }));
  }

  let searchRegistries: string | null = null;
  if (rs.containerRuntimeSearchRegistries !== null) {
    const conf = emptyNodeConf();
    conf.unqualifiedSearchRegistries = rs.containerRuntimeSearchRegistries;
    searchRegistries = encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: profile.additionalLayerStoreAuthHelper });
  }
  return result({ registriesConf, policyJson, searchRegistries, sigstoreRegistries, namespacedPolicies }, { registriesConf: regenerate, policyJson: writePolicy });
}

/**
 * The MCO only lists ClusterImagePolicy/ImagePolicy when the `SigstoreImageVerification` feature gate is on
 * (container_runtime_config_controller.go `sigstoreAPIEnabled`), and the API refuses PKI without
 * `SigstoreImageVerificationPKI`. Older release lines: say so, and leave the objects out where the gate is absent.
 */
function gateImagePolicies(list: ImagePolicyObject[], profile: OutputProfile, notes: string[]): ImagePolicyObject[] {
  if (list.length === 0) return list;
  if (profile.sigstoreGate === 'absent') {
    notes.push(`--ocp-version ${profile.version}: ClusterImagePolicy/ImagePolicy did not exist before 4.16; ${list.length} object(s) ignored`);
    return [];
  }
  if (!profile.namespacedImagePolicies && list.some((p) => p.kind === 'ImagePolicy')) {
    notes.push(`--ocp-version ${profile.version}: the MCO of this release ignores ImagePolicy (per-namespace policies came in 4.18); only ClusterImagePolicy rendered`);
    list = list.filter((p) => p.kind === 'ClusterImagePolicy');
  }
  if (profile.sigstoreGate !== 'Default') {
    notes.push(`--ocp-version ${profile.version}: ClusterImagePolicy/ImagePolicy are rendered as the MCO does with the ${profile.sigstoreGate} feature set (feature gate SigstoreImageVerification); on a Default cluster the MCO ignores them`);
  }
  if (profile.pkiGate !== 'Default' && list.some((p) => p.policy.policyType === 'PKI')) {
    notes.push(`--ocp-version ${profile.version}: root of trust PKI needs feature gate SigstoreImageVerificationPKI (${profile.pkiGate === 'absent' ? 'not in this release' : `${profile.pkiGate} only`})`);
  }
  return list;
}

/** Go builds these lists with append, so an empty YAML list behaves like an absent one. */
function nonEmpty(list: string[] | null): string[] | null {
  return list !== null && list.length > 0 ? [...list] : null;
}
