/**
 * `sigstoreSigned` verification, pure (bytes in, SignatureCheck out), as containers/image does it:
 * signature/policy_eval_sigstore.go (prepareTrustRoot, isSignatureAccepted, isRunningImageAllowed) and
 * signature/internal/sigstore_payload.go (VerifySigstorePayload). The runtime's error texts are carried over.
 *
 * Versions (`compat`, as src/config's CompatVersion):
 * - '5.40' (default; current containers/image main): keyPath/keyData/keyPaths/keyDatas, fulcio + Rekor, pki,
 *   Rekor with public keys; identity error `Signature for identity "ref" is not accepted` (%q);
 *   key parse error `parsing public key N: …`.
 * - '5.23' (containers/image v5.23): only keyPath/keyData (anything else: `Unknown key "…"`, the text its
 *   policy parser gives); identity error `Signature for identity ref is not accepted` (%s);
 *   key parse error `parsing public key: …`.
 * Rules common to both: attachments with another MIME type are not signatures; one accepted signature is enough;
 * the payload's signature is checked before its contents; digest before identity.
 *
 * @example
 * const check = await verifySigstoreSigned({ type: 'sigstoreSigned', keyData: '…' }, {
 *   manifestDigest: 'sha256:…', identity: 'quay.io/org/app:1', signatures, keys: [] });
 * if (!check.ok) console.log(check.errorClass, check.error);
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { CompatVersion } from '../config/types.ts';
import type { SignatureCheck, SignatureErrorClass } from './types.ts';
import { matchesSignedIdentity } from './signed-identity.ts';
import { parseSigstorePayload } from './sigstore-payload.ts';
import { parsePublicKeyPem, publicKeyDer, verifierError, verifyBlob, KeyParseError } from './sigstore-keys.ts';
import { verifyRekorSet, strictBase64 } from './sigstore-rekor-set.ts';
import { certificatesFromPem, verifyFulcioCertificate, verifyPkiCertificate, type ParsedCert } from './sigstore-certs.ts';
import { SigstoreRejection, invalid } from './sigstore-errors.ts';

type JsonObject = Record<string, unknown>;

/** internal/signature/sigstore.go constants. */
export const SIGSTORE_SIGNATURE_MIME_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGSTORE_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const SIGSTORE_SET_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const SIGSTORE_CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const SIGSTORE_CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';

/** One sigstore attachment (a layer of the `.sig` manifest). */
export interface SigstoreSignature {
  payload: Uint8Array;
  annotations: Record<string, string>;
  mediaType: string;
}

export interface SigstoreVerifyInput {
  /** The digest of the manifest pulled (by digest: that digest; by tag: the digest of the bytes served). */
  manifestDigest: string;
  /** The name the user pulled, normalized (signed identities are checked against it, not the mirror's name). */
  identity: string;
  signatures: SigstoreSignature[];
  /** Public key PEMs read from keyPath/keyPaths (keyData/keyDatas are read from `req` when this is empty). */
  keys: Uint8Array[];
  /** fulcio.caPath's contents (fulcio.caData is read from `req` when absent). */
  fulcioCA?: Uint8Array;
  /** rekorPublicKeyPath(s)' contents (rekorPublicKeyData(s) are read from `req` when absent). */
  rekorKeys?: Uint8Array[];
  /** pki.caRootsPath / caIntermediatesPath contents (…Data are read from `req` when absent). */
  pkiRoots?: Uint8Array;
  pkiIntermediates?: Uint8Array;
  /** The manifest bytes: lets a signature name the manifest by another digest algorithm (manifest.MatchesDigest). */
  manifest?: Uint8Array;
  /** Signatures of other kinds found for the image (e.g. simple-signing from a lookaside); only counted. */
  nonSigstoreSignatures?: number;
  /** Where the signatures came from (the `.sig` reference), for the report. */
  from?: string[];
  /** Certificates are checked at this time for `pki` (Go's time.Now()). */
  now?: Date;
  compat?: CompatVersion;
}

/** policy.json's []byte fields are base64 strings. */
function dataField(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string') return undefined;
  return Buffer.from(v, 'base64');
}
function dataFields(v: unknown): Uint8Array[] | undefined {
  return Array.isArray(v) ? v.map((x) => Buffer.from(String(x), 'base64')) : undefined;
}

interface TrustRoot {
  publicKeys: KeyObject[] | null;
  rekorKeys: KeyObject[] | null;
  fulcio: { cas: ParsedCert[]; oidcIssuer: string; subjectEmail: string } | null;
  pki: { roots: ParsedCert[]; intermediates: ParsedCert[]; subjectEmail: string; subjectHostname: string } | null;
}

class TrustRootError extends Error {}

/** prSigstoreSigned.prepareTrustRoot (and the prSigstoreSignedFulcio / prSigstoreSignedPKI ones). */
function prepareTrustRoot(req: JsonObject, input: SigstoreVerifyInput, compat: CompatVersion): TrustRoot {
  const root: TrustRoot = { publicKeys: null, rekorKeys: null, fulcio: null, pki: null };
  const keySources = ['keyPath', 'keyPaths', 'keyData', 'keyDatas'].filter((k) => req[k] !== undefined);
  if (compat === '5.23' && req.keyPath !== undefined && req.keyData !== undefined) throw new TrustRootError('Internal inconsistency: both "keyPath" and "keyData" specified');
  if (keySources.length > 1) throw new TrustRootError('Internal inconsistency: more than one of "keyPath", "keyPaths", "keyData", "keyDatas" specified');
  const keyPems = input.keys.length > 0 ? input.keys : (dataFields(req.keyDatas) ?? (req.keyData !== undefined ? [dataField(req.keyData)!] : keySources.length > 0 ? null : []));
  if (keyPems === null) throw new TrustRootError(`${keySources[0]} was not read: pass its contents in input.keys`);
  if (keySources.length > 0) {
    root.publicKeys = keyPems.map((pem, i) => {
      try {
        return parsePublicKeyPem(pem);
      } catch (e) {
        const msg = e instanceof KeyParseError ? e.message : String(e);
        throw new TrustRootError(compat === '5.23' ? `parsing public key: ${msg}` : `parsing public key ${i + 1}: ${msg}`);
      }
    });
    if (root.publicKeys.length === 0) throw new TrustRootError('Internal inconsistency: "keyPath", "keyPaths", "keyData" and "keyDatas" produced no public keys');
  }

  const f = req.fulcio as JsonObject | undefined;
  if (f) {
    const ca = input.fulcioCA ?? dataField(f.caData);
    if (!ca) throw new TrustRootError('Internal inconsistency: Fulcio specified with not exactly one of "caPath" nor "caData"');
    let cas: ParsedCert[];
    try {
      cas = certificatesFromPem(ca);
    } catch {
      cas = [];
    }
    if (cas.length === 0) throw new TrustRootError('error loading Fulcio CA certificates');
    const oidcIssuer = String(f.oidcIssuer ?? '');
    const subjectEmail = String(f.subjectEmail ?? '');
    if (oidcIssuer === '') throw new TrustRootError('Internal inconsistency: Fulcio use set up without OIDC issuer');
    if (subjectEmail === '') throw new TrustRootError('Internal inconsistency: Fulcio use set up without subject email');
    root.fulcio = { cas, oidcIssuer, subjectEmail };
  }

  const rekorSources = ['rekorPublicKeyPath', 'rekorPublicKeyPaths', 'rekorPublicKeyData', 'rekorPublicKeyDatas'].filter((k) => req[k] !== undefined);
  if (rekorSources.length > 1) throw new TrustRootError('Internal inconsistency: both "rekorPublicKeyPath" and "rekorPublicKeyData" specified');
  if (rekorSources.length > 0) {
    const pems = input.rekorKeys?.length ? input.rekorKeys : (dataFields(req.rekorPublicKeyDatas) ?? (req.rekorPublicKeyData !== undefined ? [dataField(req.rekorPublicKeyData)!] : null));
    if (pems === null) throw new TrustRootError(`${rekorSources[0]} was not read: pass its contents in input.rekorKeys`);
    root.rekorKeys = pems.map((pem, i) => {
      let k: KeyObject;
      try {
        k = parsePublicKeyPem(pem);
      } catch (e) {
        throw new TrustRootError(`parsing Rekor public key ${i + 1}: ${(e as Error).message}`);
      }
      if (k.asymmetricKeyType !== 'ec') throw new TrustRootError(`Rekor public key ${i + 1} is not using ECDSA`);
      return k;
    });
    if (root.rekorKeys.length === 0) throw new TrustRootError('Internal inconsistency: "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData" and "rekorPublicKeyDatas" produced no public keys');
  }

  const p = req.pki as JsonObject | undefined;
  if (p) {
    const rootsPem = input.pkiRoots ?? dataField(p.caRootsData);
    if (!rootsPem) throw new TrustRootError('Internal inconsistency: PKI specified with not exactly one of "caRootsPath" nor "caRootsData"');
    let roots: ParsedCert[];
    try {
      roots = certificatesFromPem(rootsPem);
    } catch {
      roots = [];
    }
    if (roots.length === 0) throw new TrustRootError('error loading PKI CA Roots certificates');
    let intermediates: ParsedCert[] = [];
    const interPem = input.pkiIntermediates ?? dataField(p.caIntermediatesData);
    if (interPem) {
      try {
        intermediates = certificatesFromPem(interPem);
      } catch (e) {
        throw new TrustRootError(`loading trusted intermediate certificates: ${(e as Error).message}`);
      }
    }
    const subjectEmail = String(p.subjectEmail ?? '');
    const subjectHostname = String(p.subjectHostname ?? '');
    if (subjectEmail === '' && subjectHostname === '') throw new TrustRootError('Internal inconsistency: PKI use set up without subject email or subject hostname');
    root.pki = { roots, intermediates, subjectEmail, subjectHostname };
  }
  return root;
}

/** manifest.MatchesDigest: the manifest's digest by the signature's algorithm. */
function digestMatches(input: SigstoreVerifyInput, signed: string): boolean {
  if (signed === input.manifestDigest) return true;
  if (!input.manifest) return false;
  const [alg, hex] = signed.split(':') as [string, string];
  if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') return false;
  return createHash(alg).update(input.manifest).digest('hex') === hex;
}

interface Accepted {
  detail: string;
}

/** isSignatureAccepted: one signature against the trust root. Throws SigstoreRejection (or a plain Error). */
function acceptSignature(req: JsonObject, root: TrustRoot, sig: SigstoreSignature, input: SigstoreVerifyInput, compat: CompatVersion): Accepted {
  const a = sig.annotations;
  const b64 = a[SIGSTORE_SIGNATURE_ANNOTATION];
  if (b64 === undefined) throw invalid(`missing ${SIGSTORE_SIGNATURE_ANNOTATION} annotation`);
  const sources = (root.publicKeys ? 1 : 0) + (root.fulcio ? 1 : 0) + (root.pki ? 1 : 0);
  if (sources > 1) throw new Error('Internal inconsistency: More than one of public key, Fulcio, or PKI specified');
  if (sources === 0) throw new Error('Internal inconsistency: A public key, Fulcio, or PKI must be specified.');

  let keys: KeyObject[] = [];
  let how = '';
  if (root.publicKeys) {
    if (root.rekorKeys) {
      const set = a[SIGSTORE_SET_ANNOTATION];
      if (set === undefined) throw invalid(`missing ${SIGSTORE_SET_ANNOTATION} annotation`);
      const failures: string[] = [];
      for (const k of root.publicKeys) {
        const pem = `-----BEGIN PUBLIC KEY-----\n${publicKeyDer(k).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PUBLIC KEY-----\n`;
        try {
          verifyRekorSet(root.rekorKeys, Buffer.from(set), Buffer.from(pem), b64, sig.payload);
          keys = [k];
          break; // the SET names one key
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
      if (keys.length === 0) throw invalid(`No public key verified against the RekorSET: ${failures.join(', ')}`);
      how = 'public key, in the Rekor log';
    } else {
      keys = root.publicKeys;
      how = 'public key';
    }
  } else if (root.fulcio) {
    if (!root.rekorKeys) throw new Error('Internal inconsistency: Fulcio CA specified without a Rekor public key');
    const set = a[SIGSTORE_SET_ANNOTATION];
    if (set === undefined) throw invalid(`missing ${SIGSTORE_SET_ANNOTATION} annotation`);
    const cert = a[SIGSTORE_CERTIFICATE_ANNOTATION];
    if (cert === undefined) throw invalid(`missing ${SIGSTORE_CERTIFICATE_ANNOTATION} annotation`);
    const chain = a[SIGSTORE_CHAIN_ANNOTATION];
    // verifyRekorFulcio: the SET first (it gives the time), then the certificate at that time.
    const t = verifyRekorSet(root.rekorKeys, Buffer.from(set), Buffer.from(cert), b64, sig.payload);
    keys = [verifyFulcioCertificate(root.fulcio, new Date(t * 1000), Buffer.from(cert), chain !== undefined ? Buffer.from(chain) : undefined)];
    how = `Fulcio certificate for ${root.fulcio.subjectEmail} (issuer ${root.fulcio.oidcIssuer}), logged in Rekor at ${new Date(t * 1000).toISOString()}`;
  } else if (root.pki) {
    if (root.rekorKeys) throw new Error('Internal inconsistency: PKI specified with a Rekor public key');
    const cert = a[SIGSTORE_CERTIFICATE_ANNOTATION];
    if (cert === undefined) throw invalid(`missing ${SIGSTORE_CERTIFICATE_ANNOTATION} annotation`);
    const chain = a[SIGSTORE_CHAIN_ANNOTATION];
    keys = [verifyPkiCertificate(root.pki, input.now ?? new Date(), Buffer.from(cert), chain !== undefined ? Buffer.from(chain) : undefined)];
    how = `PKI certificate for ${[root.pki.subjectEmail, root.pki.subjectHostname].filter(Boolean).join(', ')}`;
  }

  // VerifySigstorePayload: base64, then the signature with any key, then digest, then identity.
  const raw = strictBase64(b64);
  if (!raw) throw invalid(`base64 decoding: illegal base64 data at input byte ${firstBadBase64(b64)}`);
  for (const k of keys) {
    const e = verifierError(k);
    if (e) throw new Error(e); // LoadVerifier fails before any key is tried
  }
  const failures: string[] = [];
  let matched = -1;
  for (let i = 0; i < keys.length && matched < 0; i++) {
    const e = verifyBlob(keys[i]!, sig.payload, raw);
    if (e === null) matched = i;
    else failures.push(e);
  }
  if (matched < 0) throw new SigstoreRejection(`cryptographic signature verification failed: ${failures.join(', ')}`, 'untrusted-key');
  const payload = parseSigstorePayload(sig.payload);
  if (!digestMatches(input, payload.dockerManifestDigest)) throw new SigstoreRejection(`Signature for digest ${payload.dockerManifestDigest} does not match`, 'signature-invalid');
  if (!matchesSignedIdentity(req.signedIdentity as JsonObject | undefined, input.identity, payload.dockerReference)) {
    const ref = compat === '5.23' ? payload.dockerReference : JSON.stringify(payload.dockerReference);
    throw new SigstoreRejection(`Signature for identity ${ref} is not accepted`, 'identity-mismatch');
  }
  // Which key, for the report: its position in the policy's list when there are several.
  const keyNo = root.publicKeys && root.publicKeys.length > 1 ? ` (key ${root.publicKeys.indexOf(keys[matched]!) + 1} of ${root.publicKeys.length})` : '';
  return { detail: `signed by ${how}${keyNo} for ${payload.dockerReference} at ${payload.dockerManifestDigest}` };
}

/** base64.CorruptInputError's offset, approximately: the first byte outside the alphabet, else the length. */
function firstBadBase64(s: string): number {
  const i = s.search(/[^A-Za-z0-9+/=]/);
  return i >= 0 ? i : s.length - (s.length % 4);
}

/** Which class a multi-signature rejection gets: the one that got furthest through the checks. */
const CLASS_RANK: Record<SignatureErrorClass, number> = { 'identity-mismatch': 4, 'signature-invalid': 1, 'untrusted-key': 2, 'signature-missing': 0 };

const FIELDS_523 = new Set(['type', 'keyType', 'keyPath', 'keyData', 'signedIdentity']);

/**
 * Trust roots built from the requirement alone (keyData/keyDatas, caData, …: no caller-read material), per
 * requirement object: the runtime rebuilds it per signature ("FIXME: move this to per-context initialization"),
 * but the answer is the same, and parsing keys and CAs costs as much as the verification itself.
 */
const rootsFromReq = new WeakMap<JsonObject, { compat: CompatVersion; root: TrustRoot | null; error: Error | null }>();

function hasCallerMaterial(input: SigstoreVerifyInput): boolean {
  return input.keys.length > 0 || input.fulcioCA !== undefined || (input.rekorKeys?.length ?? 0) > 0 || input.pkiRoots !== undefined || input.pkiIntermediates !== undefined;
}

function trustRootFor(req: JsonObject, input: SigstoreVerifyInput, compat: CompatVersion): { root: TrustRoot | null; error: Error | null } {
  const cacheable = !hasCallerMaterial(input);
  if (cacheable) {
    const hit = rootsFromReq.get(req);
    if (hit && hit.compat === compat) return hit;
  }
  let out: { compat: CompatVersion; root: TrustRoot | null; error: Error | null };
  try {
    out = { compat, root: prepareTrustRoot(req, input, compat), error: null };
  } catch (e) {
    out = { compat, root: null, error: e as Error };
  }
  if (cacheable) rootsFromReq.set(req, out);
  return out;
}

/** prSigstoreSigned.isRunningImageAllowed for one image. */
export async function verifySigstoreSigned(req: JsonObject, input: SigstoreVerifyInput): Promise<SignatureCheck> {
  const compat = input.compat ?? '5.40';
  const from = input.from ?? [];
  const base = { requirement: 'sigstoreSigned' as const, signaturesFound: input.signatures.length, from };
  if (compat === '5.23') {
    const extra = Object.keys(req).find((k) => !FIELDS_523.has(k));
    if (extra) return { ...base, ok: false, errorClass: 'untrusted-key', error: `Unknown key ${JSON.stringify(extra)}`, detail: `containers/image 5.23 does not know sigstoreSigned's "${extra}" (added later)` };
  }
  let root: TrustRoot | null = null;
  let rootError: Error | null = null;
  const rejections: { message: string; errorClass: SignatureErrorClass }[] = [];
  let nonAttachments = 0;
  let accepted: Accepted | null = null;
  for (const sig of input.signatures) {
    if (sig.mediaType !== SIGSTORE_SIGNATURE_MIME_TYPE) {
      nonAttachments++;
      continue;
    }
    // FIXME upstream too: the trust root is prepared per signature; its failure rejects each signature alike.
    if (!root && !rootError) ({ root, error: rootError } = trustRootFor(req, input, compat));
    if (rootError) {
      rejections.push({ message: rootError.message, errorClass: 'untrusted-key' });
      continue;
    }
    try {
      accepted = acceptSignature(req, root!, sig, input, compat);
      break; // one accepted signature is enough
    } catch (e) {
      rejections.push(e instanceof SigstoreRejection ? { message: e.message, errorClass: e.errorClass } : { message: (e as Error).message, errorClass: 'signature-invalid' });
    }
  }
  if (accepted) return { ...base, ok: true, detail: accepted.detail };
  const nonSigstore = input.nonSigstoreSignatures ?? 0;
  if (rejections.length === 0) {
    const error =
      nonSigstore === 0 && nonAttachments === 0
        ? 'A signature was required, but no signature exists'
        : `A signature was required, but no signature exists (${nonSigstore} non-sigstore signatures, ${nonAttachments} sigstore non-signature attachments)`;
    return { ...base, ok: false, errorClass: 'signature-missing', error, detail: from.length ? `no sigstore signature at ${from.join(', ')}` : 'no sigstore signature' };
  }
  if (rejections.length === 1) return { ...base, ok: false, errorClass: rejections[0]!.errorClass, error: rejections[0]!.message, detail: 'the only signature was rejected' };
  const errorClass = rejections.reduce((best, r) => (CLASS_RANK[r.errorClass] > CLASS_RANK[best] ? r.errorClass : best), rejections[0]!.errorClass);
  // multierr.Format("None of the signatures were accepted, reasons: ", "; ", "", rejections)
  return { ...base, ok: false, errorClass, error: `None of the signatures were accepted, reasons: ${rejections.map((r) => r.message).join('; ')}`, detail: `${rejections.length} signatures, none accepted` };
}
