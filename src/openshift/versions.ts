/**
 * What the rendered files look like depends on the OpenShift release line (the MCO and the
 * containers/image and runtime-utils it vendors). `--ocp-version` picks one of these profiles.
 */
import { UsageError } from '../errors.ts';

export interface OutputProfile {
  /** The release line asked for, e.g. `4.12`, or `current`. */
  version: string;
  /** ≤ 4.12: ICSP renders `mirror-by-digest-only = true` on the entry; no IDMS/ITMS; no `pull-from-mirror`. */
  legacyIcsp: boolean;
  /** containers/image ≥ 5.32 (OpenShift ≥ 4.17) writes `additional-layer-store-auth-helper = ""`. */
  additionalLayerStoreAuthHelper: boolean;
  /** MCO ≥ 4.17 writes policy.json with `json.MarshalIndent(…, "", "  ")`; older MCOs wrote it compact. */
  policyIndent: boolean;
  /** MCO PR #3653 (OCPBUGS-4122, 4.13+): scopes with ≥ 3 `/` are left out of the `atomic` transport. */
  filterAtomic: boolean;
  /**
   * 4.13–4.14 (runtime-utils bb75088 → 5c339f2): an ImageContentSourcePolicy next to an IDMS/ITMS was refused
   * with `error: both imagecontentsourcepolicy and imagedigestmirrorset exist`. Boundary from commit dates.
   */
  rejectIcspWithMirrorSets: boolean;
  /**
   * Feature gate `SigstoreImageVerification` (ClusterImagePolicy/ImagePolicy), from openshift/api
   * features/features.go per release branch: absent before 4.16, TechPreviewNoUpgrade 4.16–4.19, Default 4.20+.
   */
  sigstoreGate: FeatureGateLevel;
  /** Feature gate `SigstoreImageVerificationPKI` (root of trust PKI): DevPreview 4.19, TechPreview 4.20, Default 4.21+. */
  pkiGate: FeatureGateLevel;
  /** MCO ≥ 4.17 (OCPBUGS-36344, 861d9aff1): sigstore-registries.yaml also lists the mirrors of each scope; 4.16 listed the scopes only. */
  sigstoreMirrors: boolean;
  /** MCO ≥ 4.18 (963c6f46d "Implement ImagePolicy CRD"): ImagePolicy renders /etc/crio/policies/<ns>.json; earlier MCOs ignore ImagePolicy. */
  namespacedImagePolicies: boolean;
}

export type FeatureGateLevel = 'absent' | 'DevPreviewNoUpgrade' | 'TechPreviewNoUpgrade' | 'Default';

export const CURRENT_PROFILE: OutputProfile = {
  version: 'current',
  legacyIcsp: false,
  additionalLayerStoreAuthHelper: true,
  policyIndent: true,
  filterAtomic: true,
  rejectIcspWithMirrorSets: false,
  sigstoreGate: 'Default',
  pkiGate: 'Default',
  sigstoreMirrors: true,
  namespacedImagePolicies: true,
};

/**
 * `current` (default) or `4.N`. The 4.12/4.13 boundary (ImageDigestMirrorSet) is exact; the 4.17 boundary
 * (helper line, indented policy.json) follows the upstream commit dates and may be off by one release.
 */
export function outputProfile(version: string | undefined): OutputProfile {
  if (version === undefined || version === 'current' || version === 'latest') return CURRENT_PROFILE;
  const m = /^4\.([0-9]+)(?:\.[0-9]+)?$/.exec(version);
  if (m === null) throw new UsageError(`--ocp-version: expected "current" or a release line such as 4.12, got ${JSON.stringify(version)}`);
  const minor = Number(m[1]);
  return {
    version: `4.${minor}`,
    legacyIcsp: minor <= 12,
    additionalLayerStoreAuthHelper: minor >= 17,
    policyIndent: minor >= 17,
    filterAtomic: minor >= 13,
    rejectIcspWithMirrorSets: minor === 13 || minor === 14,
    sigstoreGate: minor < 16 ? 'absent' : minor < 20 ? 'TechPreviewNoUpgrade' : 'Default',
    pkiGate: minor < 19 ? 'absent' : minor === 19 ? 'DevPreviewNoUpgrade' : minor === 20 ? 'TechPreviewNoUpgrade' : 'Default',
    sigstoreMirrors: minor >= 17,
    namespacedImagePolicies: minor >= 18,
  };
}
