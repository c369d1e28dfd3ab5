/**
 * Sigstore attachments of one image, fetched as containers/image does (docker/docker_image_src.go
 * appendSignaturesFromSigstoreAttachments; docker/docker_client.go getSigstoreAttachmentManifest,
 * sigstoreAttachmentTag, getOCIDescriptorContents): the manifest tagged `sha256-<hex>.sig` in the SAME
 * physical repository that served the image (a mirror's own repository when a mirror served it; the caller
 * passes that session and path), then every layer's blob, each at most iolimits.MaxSignatureBodySize and
 * checked against its digest. A missing tag (manifest unknown / 404) means "no attachments", not an error;
 * other failures are errors, as in the runtime (they fail the pull). Whether to look at all is registries.d's
 * `use-sigstore-attachments` for the physical reference (the caller's decision).
 *
 * All layers are returned, whatever their MIME type: the verifier skips non-signature attachments (and counts them).
 */
import { createHash } from 'node:crypto';
import type { RegistryClient, Session, CallOptions } from '../registry/client.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { MEDIA } from '../registry/manifest.ts';
import { goJsonError } from '../registry/go-json.ts';
import { digestError } from '../reference/index.ts';
import type { CompatVersion } from '../config/types.ts';
import type { SigstoreSignature } from './sigstore-verify.ts';

/** iolimits.MaxSignatureBodySize (4 MiB). */
export const MAX_SIGNATURE_BODY_BYTES = 4 * 1024 * 1024;

export interface SigstoreAttachments {
  /** `host/path:sha256-<hex>.sig`: where the runtime looked. */
  ref: string;
  /** false: the tag does not exist there (the runtime then has no sigstore signatures from this source). */
  found: boolean;
  signatures: SigstoreSignature[];
}

/** sigstoreAttachmentTag: the digest validated, `:` → `-`, `.sig` appended. */
export function sigstoreAttachmentTag(manifestDigest: string): string {
  const bad = digestError(manifestDigest);
  if (bad) throw new Error(bad);
  return `${manifestDigest.replace(':', '-')}.sig`;
}

/**
 * isManifestUnknownError (docker/docker_client.go), read from the client's wording of the answer
 * (`reading manifest T in N: <errcode words>` or `…: StatusCode: 404, "<body>"`):
 *  - both versions: errcode MANIFEST_UNKNOWN; errcode UNKNOWN with message "Not Found" (registry.redhat.io);
 *  - current: UNKNOWN whose message contains "not found" (Harbor); any 404 whose body is not errcode JSON;
 *  - 5.23: a 404 whose non-errcode body contains "Not found".
 * Anything else (NAME_UNKNOWN, 401, 5xx…) is an error that fails the pull.
 */
export function isManifestUnknown(err: unknown, compat: CompatVersion = '5.40'): boolean {
  if (!(err instanceof RegistryError)) return false;
  const m = /^reading manifest \S+ in \S+: (.*)$/s.exec(err.message);
  const rest = m?.[1] ?? '';
  if (/^manifest unknown(?:$|:)/.test(rest)) return true;
  if (rest === 'unknown: Not Found') return true;
  const unexpected404 = err.httpStatus === 404 && rest.startsWith('StatusCode: 404, ');
  if (compat === '5.23') return unexpected404 && rest.includes('Not found');
  return (/^unknown: /.test(rest) && rest.toLowerCase().includes('not found')) || unexpected404;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

/** manifest.OCI1FromManifest, reduced to what the attachments need: the layers' descriptors. */
function ociLayers(body: Buffer, ref: string): Descriptor[] {
  const syntax = goJsonError(body);
  if (syntax) throw new Error(`parsing manifest ${ref}: ${syntax}`);
  const m = JSON.parse(body.toString('utf8')) as { mediaType?: unknown; layers?: unknown };
  if (m.mediaType !== undefined && m.mediaType !== MEDIA.ociManifest) {
    throw new Error(`parsing manifest ${ref}: OCI manifest has mediaType ${JSON.stringify(m.mediaType)}, expected ${JSON.stringify(MEDIA.ociManifest)}`);
  }
  const layers = Array.isArray(m.layers) ? m.layers : [];
  return layers.map((l: Record<string, unknown>) => ({
    mediaType: typeof l?.mediaType === 'string' ? l.mediaType : '',
    digest: typeof l?.digest === 'string' ? l.digest : '',
    size: typeof l?.size === 'number' ? l.size : -1,
    annotations: l?.annotations && typeof l.annotations === 'object' ? Object.fromEntries(Object.entries(l.annotations as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {},
  }));
}

const DIGEST_ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/**
 * @param session the session of the source that served the image (its physical host)
 * @param path that source's repository path (the mirror's, when a mirror served it)
 * @param manifestDigest the digest of the manifest the pull used (the instance, for a list)
 * @param opts.compat which isManifestUnknownError: '5.40' (current, default) or '5.23'
 */
export async function fetchSigstoreAttachments(client: RegistryClient, session: Session, path: string, manifestDigest: string, opts: CallOptions & { compat?: CompatVersion } = {}): Promise<SigstoreAttachments> {
  const tag = sigstoreAttachmentTag(manifestDigest);
  const ref = `${session.host}/${path}:${tag}`;
  let manifest;
  try {
    manifest = await client.getManifest(session, path, tag, opts);
  } catch (err) {
    if (isManifestUnknown(err, opts.compat)) return { ref, found: false, signatures: [] };
    throw err;
  }
  if (manifest.mediaType !== MEDIA.ociManifest) {
    throw new Error(`unexpected MIME type for sigstore attachment manifest ${ref}: ${JSON.stringify(manifest.mediaType)}`);
  }
  const signatures: SigstoreSignature[] = [];
  for (const layer of ociLayers(manifest.body, ref)) {
    const bad = digestError(layer.digest);
    if (bad) throw new Error(`invalid digest ${JSON.stringify(layer.digest)}: ${bad}`);
    const alg = DIGEST_ALGORITHMS[layer.digest.slice(0, layer.digest.indexOf(':'))];
    if (!alg) throw new Error(`invalid digest ${JSON.stringify(layer.digest)}: unsupported digest algorithm`);
    const { body } = await client.getBlob(session, path, layer.digest, { ...opts, maxBytes: MAX_SIGNATURE_BODY_BYTES });
    const actual = `${alg}:${createHash(alg).update(body).digest('hex')}`;
    if (actual !== layer.digest) throw new Error(`digest mismatch, expected ${JSON.stringify(layer.digest)}, got ${JSON.stringify(actual)}`);
    signatures.push({ mediaType: layer.mediaType, payload: body, annotations: layer.annotations });
  }
  return { ref, found: true, signatures };
}
