/**
 * The signature half of `IsRunningImageAllowed` for one pulled image, as containers/image runs it after the
 * source is chosen (copy.Image → policyContext.IsRunningImageAllowed):
 * - the requirements are the ones policy.json selects for the name the user PULLED (never the mirror's);
 * - signatures come only from the source that SERVED the image: the lookaside store that registries.d names
 *   for that physical reference, then (with `use-sigstore-attachments`) its `sha256-<hex>.sig` attachments
 *   (docker_image_src.go GetSignaturesWithFormat reads the lookaside first, so an unreadable lookaside fails a
 *   sigstore-only policy too);
 * - requirements are checked in order and the first denial decides, worded as the runtime words it;
 * - the engine never fails over after this: a stale unsigned mirror is final (copy.go, after the source is chosen).
 * I/O at this edge: key files, the lookaside store, the registry; the verifiers themselves are pure.
 */
import type { CompatVersion } from '../config/types.ts';
import type { PolicyRequirement } from '../policy/types.ts';
import type { RegistryClient, Session } from '../registry/client.ts';
import type { DispatcherFactory } from '../registry/dispatcher-factory.ts';
import type { AttemptStep } from '../registry/step.ts';
import { fetchSigstoreAttachments, type SigstoreAttachments } from './attachments-fetch.ts';
import { useSigstoreAttachments } from './registries-d.ts';
import { readSigstoreTrustMaterial } from './sigstore-trust-files.ts';
import { fetchLookasideSignatures, LookasideError, type LookasideSignatures } from './lookaside-fetch.ts';
import { lookasideFor, type RegistriesDConfig } from './registries-d.ts';
import { readRequirementKeys } from './requirement-keys.ts';
import type { GpgKeyring } from './simple-signing.ts';
import type { JsonObject } from '../policy/strict-json.ts';
import type { TrustMaterial } from './sigstore-trust-files.ts';

/**
 * Key material per requirement, read and parsed once per run (the policy's requirement objects live as long as
 * the run): importing a key costs more than verifying a signature with it, and a verify of thousands of images
 * would otherwise re-read and re-parse the same files for each. The runtime reads them per image; the files are
 * not expected to change during one run.
 */
const gpgKeyrings = new WeakMap<JsonObject, Promise<GpgKeyring>>();
const sigstoreMaterial = new WeakMap<JsonObject, Promise<TrustMaterial>>();

/**
 * The verifiers are loaded on the first requirement that needs them: they bring openpgp.js and @peculiar/x509,
 * about half of a one-image `pullpath pull`'s start-up, and most pulls select no signature requirement.
 */
const simpleSigning = () => import('./simple-signing.ts');
const sigstoreVerify = () => import('./sigstore-verify.ts');

function cached<T>(cache: WeakMap<JsonObject, Promise<T>>, fields: JsonObject, load: () => Promise<T>): Promise<T> {
  let p = cache.get(fields);
  if (p === undefined) cache.set(fields, (p = load()));
  return p;
}
import type { SignatureCheck, SignatureErrorClass } from './types.ts';

/** What the engine needs to fetch signatures: registries.d, and the dispatchers for http(s) lookaside stores. */
export interface SignatureContext {
  registriesD: RegistriesDConfig;
  dispatchers?: DispatcherFactory;
  /** The lookaside used when no registries.d scope names one (the runtime's built-in default per uid otherwise). */
  builtinLookaside?: string;
  /** Which containers/image rules apply where versions differ (sigstore: keyPaths, Fulcio, Rekor, PKI). */
  compat?: CompatVersion;
}

export interface ImageSignatureInput {
  /** The requirements policy.json selected for the pulled name (signedBy / sigstoreSigned among them). */
  requirements: PolicyRequirement[];
  /** The name the user pulled, normalized, with tag or digest. */
  pulled: string;
  /** The physical reference that served the image (a mirror's when a mirror did). */
  physical: string;
  /** The digest of the manifest that was served. */
  manifestDigest: string;
  /** The serving endpoint is insecure (its lookaside is read with the same TLS choice). */
  insecure: boolean;
  /** The source that served the image: its attachments (`sha256-<hex>.sig`) are read through the same session. */
  registry: { client: RegistryClient; session: Session; path: string; manifest: Uint8Array };
  /** Where the registry requests of the signature step are recorded (for the attempt view). */
  steps?: AttemptStep[];
  signal?: AbortSignal;
}

export interface ImageSignatureVerdict {
  ok: boolean;
  /** One per signature requirement checked, in policy order (stops at the first denial). */
  checks: SignatureCheck[];
  /** The runtime's error for the first denial (`Source image rejected: …`), or null. */
  error: string | null;
  errorClass: SignatureErrorClass | null;
  /** Where signatures were looked for: the lookaside base URL (and attachment tags). */
  lookedIn: string[];
}

/** True when any selected requirement asks for a signature (the only case where signatures are fetched). */
export function needsSignatures(requirements: readonly PolicyRequirement[]): boolean {
  return requirements.some((r) => r.type === 'signedBy' || r.type === 'sigstoreSigned');
}

export async function checkImageSignatures(ctx: SignatureContext, input: ImageSignatureInput): Promise<ImageSignatureVerdict> {
  const checks: SignatureCheck[] = [];
  const lookedIn: string[] = [];
  const deny = (check: SignatureCheck): ImageSignatureVerdict => {
    checks.push(check);
    return { ok: false, checks, error: `Source image rejected: ${check.error ?? check.detail}`, errorClass: check.errorClass ?? 'signature-invalid', lookedIn };
  };
  let lookaside: LookasideSignatures | null = null;
  let attachments: SigstoreAttachments | null = null;
  // Read once, lazily, as the runtime reads them on the first requirement that asks for signatures.
  const signatures = async (requirement: SignatureCheck['requirement']): Promise<LookasideSignatures | SignatureCheck> => {
    if (lookaside !== null) return lookaside;
    try {
      const store = lookasideFor(ctx.registriesD, input.physical, ctx.builtinLookaside ? { builtinDefault: ctx.builtinLookaside } : {});
      lookedIn.push(store.url);
      lookaside = await fetchLookasideSignatures(store.url, input.manifestDigest, {
        ...(ctx.dispatchers ? { dispatchers: ctx.dispatchers } : {}),
        // The runtime reads the lookaside with the serving registry's own HTTP client: its TLS choice and certs.d.
        insecure: input.registry.session.insecure || input.insecure,
        tls: input.registry.session.tls,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      return lookaside;
    } catch (e) {
      const message = (e as Error).message;
      // A store that cannot be read: the signatures are not available; a blob there that is no signature: invalid.
      const errorClass = e instanceof LookasideError && e.kind === 'malformed' ? 'signature-invalid' : 'signature-missing';
      return { requirement, ok: false, errorClass, error: message, signaturesFound: 0, from: [], detail: `reading signatures failed: ${message}` };
    }
  };

  for (const req of input.requirements) {
    if (req.type === 'signedBy') {
      const sigs = await signatures('signedBy');
      if (!('signatures' in sigs)) return deny(sigs);
      // With no signature the runtime never reads the keys: "no signature exists" whatever they are.
      const { importKeys, verifySignedByWithKeyring } = await simpleSigning();
      let ring: GpgKeyring = { keys: [], fingerprints: [] };
      if (sigs.signatures.length > 0) {
        try {
          ring = await cached(gpgKeyrings, req.fields, async () => importKeys(await readRequirementKeys(req.fields)));
        } catch (e) {
          const message = (e as Error).message;
          return deny({ requirement: 'signedBy', ok: false, errorClass: 'untrusted-key', error: message, signaturesFound: sigs.signatures.length, from: sigs.from, detail: message });
        }
      }
      const check = await verifySignedByWithKeyring(req.fields, { manifestDigest: input.manifestDigest, identity: input.pulled, signatures: sigs.signatures, keys: [], from: sigs.from }, ring);
      if (!check.ok) return deny(check);
      checks.push(check);
    } else if (req.type === 'sigstoreSigned') {
      // The lookaside is read first (an unreachable one fails here too), then the attachments if registries.d
      // enables them for the SERVING source: without that, its sigstore signatures are never looked at.
      const sigs = await signatures('sigstoreSigned');
      if (!('signatures' in sigs)) return deny(sigs);
      if (attachments === null && useSigstoreAttachments(ctx.registriesD, input.physical)) {
        try {
          attachments = await fetchSigstoreAttachments(input.registry.client, input.registry.session, input.registry.path, input.manifestDigest, {
            ...(ctx.compat ? { compat: ctx.compat } : {}),
            ...(input.steps ? { steps: input.steps } : {}),
            ...(input.signal ? { signal: input.signal } : {}),
          });
          lookedIn.push(attachments.ref);
        } catch (e) {
          const message = (e as Error).message;
          return deny({ requirement: 'sigstoreSigned', ok: false, errorClass: 'signature-missing', error: message, signaturesFound: 0, from: [], detail: `reading sigstore attachments failed: ${message}` });
        }
      }
      let material;
      try {
        material = await cached(sigstoreMaterial, req.fields, () => readSigstoreTrustMaterial(req.fields));
      } catch (e) {
        const message = (e as Error).message;
        return deny({ requirement: 'sigstoreSigned', ok: false, errorClass: 'untrusted-key', error: message, signaturesFound: 0, from: [], detail: message });
      }
      const { verifySigstoreSigned } = await sigstoreVerify();
      const check = await verifySigstoreSigned(req.fields, {
        manifestDigest: input.manifestDigest,
        manifest: input.registry.manifest,
        identity: input.pulled,
        signatures: attachments?.signatures ?? [],
        nonSigstoreSignatures: sigs.signatures.length,
        from: attachments ? [attachments.ref] : [],
        ...(ctx.compat ? { compat: ctx.compat } : {}),
        ...material,
      });
      if (!check.ok) return deny(check);
      checks.push(check);
    }
    // insecureAcceptAnything accepts; reject and signedBaseLayer were denied by the policy verdict already.
  }
  return { ok: true, checks, error: null, errorClass: null, lookedIn };
}
