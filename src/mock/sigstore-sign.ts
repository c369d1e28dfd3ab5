/**
 * Sigstore signatures for mock images, as cosign stores them: a `sha256-<hex>.sig` tag in the image's own
 * repository pointing at an OCI manifest whose one layer is the simple-signing payload
 * (`application/vnd.dev.cosign.simplesigning.v1+json`) with the base64 ECDSA-P256/SHA-256 signature in the
 * `dev.cosignproject.cosign/signature` annotation. The key pair is generated per run (a scenario writes the
 * public key where its policy points; see RunningMockRegistry.sigstorePublicKeyPem).
 *
 * Signature faults are content faults (like stale-tag): decided when the content is built, by repository and
 * tag globs; their time and count matchers do not apply.
 *  - signature-missing: no .sig tag;  - signature-wrong-key: signed by another generated key;
 *  - signature-wrong-digest: the payload names another manifest digest;
 *  - signature-wrong-identity: the payload names another reference (`identity`, default `<name>-unsigned:<tag>`).
 */
import { generateKeyPairSync, sign, createHash, type KeyObject } from 'node:crypto';
import type { FaultRule, MockImageSpec } from './spec.ts';
import type { BuiltImage, BuiltManifest } from './image-builder.ts';
import { bytesBlob, type BlobContent } from './blob-content.ts';
import { globToRegExp } from './glob.ts';
import { OCI_MANIFEST, OCI_CONFIG } from './media-types.ts';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

export interface MockSigningKeys {
  key: KeyObject;
  /** The key `signature-wrong-key` signs with (never published). */
  wrongKey: KeyObject;
  /** SubjectPublicKeyInfo PEM of `key`: what a policy's keyPath / keyData holds. */
  publicKeyPem: string;
}

export function createMockSigningKeys(): MockSigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const wrong = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { key: privateKey, wrongKey: wrong.privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export type SignatureFaultKind = 'signature-missing' | 'signature-wrong-key' | 'signature-wrong-digest' | 'signature-wrong-identity';
export const SIGNATURE_FAULTS: ReadonlySet<string> = new Set<SignatureFaultKind>(['signature-missing', 'signature-wrong-key', 'signature-wrong-digest', 'signature-wrong-identity']);

/** The first signature fault whose repository and reference (tag) globs match this image. */
export function signatureFaultFor(spec: MockImageSpec, tags: string[], faults: FaultRule[]): FaultRule | undefined {
  return faults.find((f) => {
    if (!SIGNATURE_FAULTS.has(f.kind)) return false;
    if (f.repository !== undefined && !globToRegExp(f.repository).test(spec.repository)) return false;
    if (f.reference !== undefined && !tags.some((t) => globToRegExp(f.reference!).test(t))) return false;
    return true;
  });
}

/** Go's json.Marshal of containers/image's payload (keys sorted), as `podman push --sign-by-sigstore` writes it. */
function payloadBytes(digest: string, reference: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': reference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: { creator: 'pullpath mock' },
    }),
  );
}

export interface SignatureAttachment {
  tag: string;
  manifest: BuiltManifest;
  blobs: BlobContent[];
}

/**
 * The .sig tag for an image (or none, under signature-missing). `registryHost` names the image when the spec
 * gives no `signedName`: `<host>/<repository>:<first tag>`.
 */
export function signatureAttachment(spec: MockImageSpec, img: BuiltImage, registryHost: string, keys: MockSigningKeys, faults: FaultRule[]): SignatureAttachment | null {
  const fault = signatureFaultFor(spec, img.tags, faults);
  if (fault?.kind === 'signature-missing') return null;
  const name = spec.signedName ?? `${registryHost}/${spec.repository}`;
  const tag = img.tags[0] ?? 'latest';
  let reference = `${name}:${tag}`;
  let digest = img.top.digest;
  if (fault?.kind === 'signature-wrong-identity') reference = fault.identity ?? `${name}-unsigned:${tag}`;
  if (fault?.kind === 'signature-wrong-digest') digest = `sha256:${createHash('sha256').update(`not ${digest}`).digest('hex')}`;
  const payload = payloadBytes(digest, reference);
  const signature = sign('sha256', payload, fault?.kind === 'signature-wrong-key' ? keys.wrongKey : keys.key).toString('base64');
  const payloadBlob = bytesBlob(payload);
  const config = bytesBlob(Buffer.from('{}'));
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layers: [{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: payloadBlob.digest, size: payloadBlob.size, annotations: { 'dev.cosignproject.cosign/signature': signature } }],
    }),
  );
  return {
    tag: `${img.top.digest.replace(':', '-')}.sig`,
    manifest: { digest: bytesBlob(bytes).digest, mediaType: OCI_MANIFEST, bytes },
    blobs: [config, payloadBlob],
  };
}
