/**
 * `renderOpenShift`: the MCO's container-runtime-config controller as a pure function. Objects in, the
 * three node files out (`/etc/containers/registries.conf`, `/etc/containers/policy.json`,
 * `/etc/containers/registries.conf.d/01-image-searchRegistries.conf`), with the MCO's validation errors,
 * the documentation's warnings, and notes about what was assumed.
 */
import { PullpathError } from '../errors.ts';
import type { DockerRef } from '../policy/docker-reference.ts';
import { editRegistriesConfig } from './edit-registries.ts';
import { emptyNodeConf } from './node-registries-conf.ts';
import { parsePayloadRef, validBlockedAndAllowed } from './payload.ts';
import { updatePolicyJson } from './policy-json.ts';
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
} as const;

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
  try {
    if (regenerate) {
      const conf = decodeRegistriesTemplate(templates.registriesConf, templates.registriesConfFile, notes);
      editRegistriesConfig(conf, { insecure: rs.insecureRegistries ?? [], blocked: registriesBlocked ?? [], digestRules, tagRules, legacyIcsp: profile.legacyIcsp });
      registriesConf = encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: profile.additionalLayerStoreAuthHelper });
    }
    if (policyBlocked !== null || allowed !== null) {
      policyJson = updatePolicyJson(templates.policyJson, templates.policyJsonFile, policyBlocked, allowed, {
        payloadRepo: payload?.name ?? null,
        indent: profile.policyIndent,
        filterAtomic: profile.filterAtomic,
      });
    }
  } catch (err) {
    if (!(err instanceof PullpathError)) throw err;
    errors.push({ code: err.code === 'PP_ERR_CONFIG' || err.code.startsWith('PP_ERR_OPENSHIFT_TEMPLATE') ? 'template' : 'render', message: err.message });
    return unchanged();
  }

  let searchRegistries: string | null = null;
  if (rs.containerRuntimeSearchRegistries !== null) {
    const conf = emptyNodeConf();
    conf.unqualifiedSearchRegistries = rs.containerRuntimeSearchRegistries;
    searchRegistries = encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: profile.additionalLayerStoreAuthHelper });
  }
  return result({ registriesConf, policyJson, searchRegistries }, { registriesConf: regenerate, policyJson: policyBlocked !== null || allowed !== null });
}

/** Go builds these lists with append, so an empty YAML list behaves like an absent one. */
function nonEmpty(list: string[] | null): string[] | null {
  return list !== null && list.length > 0 ? [...list] : null;
}
