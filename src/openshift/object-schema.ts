/**
 * The fields each cluster object pullpath reads may carry, from openshift/api (commit 2a3d7391, 2026-08):
 * config/v1 types_image.go, types_image_digest_mirror_set.go, types_image_tag_mirror_set.go,
 * types_cluster_version.go, operator/v1alpha1 types_image_content_source_policy.go, and metav1.ObjectMeta /
 * ListMeta. Used to refuse unknown fields as `kubectl --validate=strict` does: a misspelt
 * `spec.imageDigestMirror` would otherwise render zero mirrors without a word.
 * `status` may hold anything (`oc get -o yaml` writes it; the MCO never reads it), as may labels,
 * annotations and the other free-form metadata values.
 */

/** 'any': not checked further. `fields`: a mapping with these keys only. `items`: a list of this shape. */
export type Shape = 'any' | { fields: Readonly<Record<string, Shape>> } | { items: Shape };

const fields = (f: Record<string, Shape>): Shape => ({ fields: f });
const listOf = (s: Shape): Shape => ({ items: s });

/** metav1.ObjectMeta (its values are free-form here: strict decoding only names unknown keys). */
const OBJECT_META = fields(
  Object.fromEntries(
    [
      'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
      'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers',
      'managedFields',
    ].map((k) => [k, 'any' as Shape]),
  ),
);

/** metav1.ListMeta. */
export const LIST_META = fields({ selfLink: 'any', resourceVersion: 'any', continue: 'any', remainingItemCount: 'any' });

const object = (spec: Shape): Shape => fields({ apiVersion: 'any', kind: 'any', metadata: OBJECT_META, spec, status: 'any' });

const mirrorSetRule = fields({ source: 'any', mirrors: 'any', mirrorSourcePolicy: 'any' });

/** config/v1 types_image_policy.go `ImageSigstoreVerificationPolicy` (same keys in v1alpha1). */
const SIGSTORE_POLICY = fields({
  rootOfTrust: fields({
    policyType: 'any',
    publicKey: fields({ keyData: 'any', rekorKeyData: 'any' }),
    fulcioCAWithRekor: fields({ fulcioCAData: 'any', rekorKeyData: 'any', fulcioSubject: fields({ oidcIssuer: 'any', signedEmail: 'any' }) }),
    pki: fields({ caRootsData: 'any', caIntermediatesData: 'any', pkiCertificateSubject: fields({ email: 'any', hostname: 'any' }) }),
  }),
  signedIdentity: fields({
    matchPolicy: 'any',
    exactRepository: fields({ repository: 'any' }),
    remapIdentity: fields({ prefix: 'any', signedPrefix: 'any' }),
  }),
});

/** Keyed by `group/Kind` (the group of apiVersion, any version). */
export const OBJECT_SHAPES: Readonly<Record<string, Shape>> = {
  'config.openshift.io/Image': object(
    fields({
      allowedRegistriesForImport: listOf(fields({ domainName: 'any', insecure: 'any' })),
      externalRegistryHostnames: 'any',
      additionalTrustedCA: fields({ name: 'any' }),
      registrySources: fields({
        insecureRegistries: 'any',
        blockedRegistries: 'any',
        allowedRegistries: 'any',
        containerRuntimeSearchRegistries: 'any',
      }),
      imageStreamImportMode: 'any',
    }),
  ),
  'operator.openshift.io/ImageContentSourcePolicy': object(fields({ repositoryDigestMirrors: listOf(fields({ source: 'any', mirrors: 'any' })) })),
  'config.openshift.io/ImageDigestMirrorSet': object(fields({ imageDigestMirrors: listOf(mirrorSetRule) })),
  'config.openshift.io/ImageTagMirrorSet': object(fields({ imageTagMirrors: listOf(mirrorSetRule) })),
  'config.openshift.io/ClusterImagePolicy': object(fields({ scopes: 'any', policy: SIGSTORE_POLICY })),
  'config.openshift.io/ImagePolicy': object(fields({ scopes: 'any', policy: SIGSTORE_POLICY })),
  // Only status.desired.image is read; spec is checked one level deep so a misplaced key is still caught.
  'config.openshift.io/ClusterVersion': object(
    fields(
      Object.fromEntries(
        ['clusterID', 'desiredUpdate', 'upstream', 'channel', 'capabilities', 'signatureStores', 'overrides'].map((k) => [k, 'any' as Shape]),
      ),
    ),
  ),
};

/** A `kind: List` (or `…List`) wrapper, as `oc get -o yaml` writes it. */
export const LIST_SHAPE: Shape = fields({ apiVersion: 'any', kind: 'any', metadata: LIST_META, items: 'any' });
