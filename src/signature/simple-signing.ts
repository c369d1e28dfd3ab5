/**
 * GPG "simple signing" (policy requirement `signedBy`, keyType GPGKeys), as containers/image 5.23 verifies it:
 * signature/policy_eval_signedby.go (per-signature acceptance, the summary over all signatures),
 * signature/simple.go (the payload's strict JSON and the order of checks: key, then digest, then identity)
 * and signature/mechanism_gpgme.go (exactly one OpenPGP signature, by a key imported from the policy).
 *
 * The OpenPGP work (parsing, signature verification) is done by openpgp.js (v6); nothing here is crypto.
 * Pure: bytes in, SignatureCheck out. Key material is read from keyPath/keyPaths/keyData by the caller
 * (`keysFromRequirement` does it for file paths), signatures by lookaside-fetch.ts.
 */
import * as openpgp from 'openpgp';
import type { JsonObject, JsonValue } from '../policy/strict-json.ts';
import { JsonSyntaxError, parseStrictJson } from '../policy/strict-json.ts';
import { matchesSignedIdentity } from './signed-identity.ts';
import type { SignatureCheck, SignatureErrorClass } from './types.ts';

/** The simple-signing payload type (signature/simple.go `signatureType`). */
export const SIMPLE_SIGNING_TYPE = 'atomic container signature';

export const ERR_NO_SIGNATURE = 'A signature was required, but no signature exists';
export const ERR_NO_KEYS = 'No public keys imported';

export interface SignedByInput {
  /** The digest of the manifest that was pulled (`sha256:…`). In 5.23 the signed digest must equal it. */
  manifestDigest: string;
  /** The name the user pulled, normalized, with its tag or digest (never the mirror's address). */
  identity: string;
  signatures: Uint8Array[];
  /** Key files' contents (armored or binary OpenPGP public keys), already read. */
  keys: Uint8Array[];
  /** Where each signature came from (same order), for the report. */
  from?: string[];
}

interface Rejection {
  cls: SignatureErrorClass;
  error: string;
}

/** A parsed key ring, reusable across many verifications (key import is the expensive part). */
export interface GpgKeyring {
  keys: openpgp.PublicKey[];
  /** Primary key fingerprints, upper-case hex (what gpgme reports as the trusted identities). */
  fingerprints: string[];
}

/** Imports every key of every blob; blobs that hold no key contribute none (gpgme's import ignores them). */
export async function importKeys(blobs: Uint8Array[]): Promise<GpgKeyring> {
  const keys: openpgp.PublicKey[] = [];
  for (const blob of blobs) {
    try {
      const text = new TextDecoder().decode(blob.subarray(0, 64));
      const parsed = text.includes('-----BEGIN PGP') ? await openpgp.readKeys({ armoredKeys: new TextDecoder().decode(blob) }) : await openpgp.readKeys({ binaryKeys: blob });
      for (const k of parsed) keys.push(k.isPrivate() ? k.toPublic() : k);
    } catch {
      // not key material: nothing imported from this blob
    }
  }
  return { keys, fingerprints: keys.map((k) => k.getFingerprint().toUpperCase()) };
}

/** `verifySignedBy` as the contract names it: imports `input.keys`, then checks every signature. */
export async function verifySignedBy(req: JsonObject, input: SignedByInput): Promise<SignatureCheck> {
  return verifySignedByWithKeyring(req, input, input.signatures.length === 0 ? { keys: [], fingerprints: [] } : await importKeys(input.keys));
}

/**
 * `prSignedBy.isRunningImageAllowed`: one accepted signature is enough; none → "no signature exists";
 * one rejected → its reason; several → "None of the signatures were accepted, reasons: a; b".
 */
export async function verifySignedByWithKeyring(req: JsonObject, input: SignedByInput, ring: GpgKeyring): Promise<SignatureCheck> {
  const from = input.from ?? [];
  const base = { requirement: 'signedBy' as const, signaturesFound: input.signatures.length, from };
  const keyType = typeof req.keyType === 'string' ? req.keyType : 'GPGKeys';
  const rejections: Rejection[] = [];
  for (const sig of input.signatures) {
    const r = await acceptSignature(req, keyType, input, ring, sig);
    if ('accepted' in r) return { ...base, ok: true, detail: `signed by key ${r.accepted.key} for ${r.accepted.reference} (digest ${r.accepted.digest})` };
    rejections.push(r);
  }
  if (rejections.length === 0) return { ...base, ok: false, errorClass: 'signature-missing', error: ERR_NO_SIGNATURE, detail: 'no signature found' };
  if (rejections.length === 1) return { ...base, ok: false, errorClass: rejections[0]!.cls, error: rejections[0]!.error, detail: rejections[0]!.error };
  const classes = new Set(rejections.map((r) => r.cls));
  const error = `None of the signatures were accepted, reasons: ${rejections.map((r) => r.error).join('; ')}`;
  return { ...base, ok: false, errorClass: classes.size === 1 ? rejections[0]!.cls : 'signature-invalid', error, detail: error };
}

type Accepted = { accepted: { key: string; reference: string; digest: string } };

/** `isSignatureAuthorAccepted` + `verifyAndExtractSignature`, in upstream's order. */
async function acceptSignature(req: JsonObject, keyType: string, input: SignedByInput, ring: GpgKeyring, sig: Uint8Array): Promise<Rejection | Accepted> {
  if (keyType !== 'GPGKeys') {
    const known = ['signedByGPGKeys', 'X509Certificates', 'signedByX509CAs'].includes(keyType);
    return { cls: 'signature-invalid', error: known ? `Unimplemented "keyType" value "${keyType}"` : `Unknown "keyType" value "${keyType}"` };
  }
  if (ring.fingerprints.length === 0) return { cls: 'untrusted-key', error: ERR_NO_KEYS };
  const v = await gpgVerify(sig, ring);
  if ('error' in v) return v;
  // validateKeyIdentity: the signing key must be one of the imported keys (primary fingerprints).
  if (!ring.fingerprints.includes(v.fingerprint)) return { cls: 'untrusted-key', error: `Signature by key ${v.fingerprint} is not accepted` };
  const payload = parsePayload(v.contents);
  if ('error' in payload) return { cls: 'signature-invalid', error: payload.error };
  // validateSignedDockerManifestDigest: 5.23's manifest.MatchesDigest compares with the sha256 manifest digest.
  if (payload.digest !== input.manifestDigest) return { cls: 'signature-invalid', error: `Signature for digest ${payload.digest} does not match` };
  const signedIdentity = req.signedIdentity as JsonObject | undefined;
  if (!matchesSignedIdentity(signedIdentity, input.identity, payload.reference)) {
    return { cls: 'identity-mismatch', error: `Signature for identity ${payload.reference} is not accepted` };
  }
  return { accepted: { key: v.fingerprint, reference: payload.reference, digest: payload.digest } };
}

/**
 * `gpgmeSigningMechanism.Verify`: the signed message must carry exactly one signature, made by an imported key,
 * and verify. gpgme's own failure text is a Go `%#v` dump with pointers; the stable head is kept:
 * `Invalid GPG signature: …` (a missing key: untrusted-key; a bad signature: signature-invalid).
 */
async function gpgVerify(sig: Uint8Array, ring: GpgKeyring): Promise<Rejection | { contents: Uint8Array; fingerprint: string }> {
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ binaryMessage: sig });
  } catch (e) {
    return { cls: 'signature-invalid', error: `Invalid GPG signature: not an OpenPGP message (${(e as Error).message})` };
  }
  let result: Awaited<ReturnType<typeof openpgp.verify>>;
  try {
    result = await openpgp.verify({ message, verificationKeys: ring.keys, format: 'binary' });
  } catch (e) {
    return { cls: 'signature-invalid', error: `Invalid GPG signature: ${(e as Error).message}` };
  }
  if (result.signatures.length !== 1) return { cls: 'signature-invalid', error: `Unexpected GPG signature count ${result.signatures.length}` };
  const s = result.signatures[0]!;
  const signer = ring.keys.find((k) => k.getKeys(s.keyID).length > 0);
  try {
    await s.verified;
  } catch (e) {
    // gpgme names the issuer by its full fingerprint when the signature carries one (gpg ≥ 2.2 writes it).
    const packet = (await s.signature).packets[0];
    const issuer = packet?.issuerFingerprint ? Buffer.from(packet.issuerFingerprint).toString('hex').toUpperCase() : s.keyID.toHex().toUpperCase();
    // Observed from skopeo 1.9.3 (gpgme): a missing key is Summary 128 (KEY_MISSING), err 0x9 (NO_PUBKEY) and the
    // issuer's fingerprint; a bad signature is Summary 4 (RED), err 0x7000008 (source GPG, BAD_SIGNATURE) and the 16-hex key ID.
    if (signer === undefined) return { cls: 'untrusted-key', error: `${gpgmeHead(128, issuer, 0x9)}, …} (key not in the policy's keys)` };
    return { cls: 'signature-invalid', error: `${gpgmeHead(4, s.keyID.toHex().toUpperCase(), 0x7000008)}, …} (${(e as Error).message})` };
  }
  // gpgme reports the fingerprint of the key that SIGNED — a signing subkey's own, not its primary's — while the
  // trusted identities are the imported primary fingerprints; so 5.23 rejects signatures made by subkeys
  // ("Signature by key <subkey> is not accepted"), observed with skopeo 1.9.3.
  const signingKey = signer!.getKeys(s.keyID)[0]!;
  return { contents: result.data as Uint8Array, fingerprint: signingKey.getFingerprint().toUpperCase() };
}

/** The stable head of gpgme's `Invalid GPG signature: %#v` (mechanism_gpgme.go); the rest holds timestamps. */
function gpgmeHead(summary: number, fingerprint: string, err: number): string {
  return `Invalid GPG signature: gpgme.Signature{Summary:${summary}, Fingerprint:"${fingerprint}", Status:gpgme.Error{err:0x${err.toString(16)}}`;
}

/** signature/simple.go `strictUnmarshalJSON`, with its error texts. */
function parsePayload(bytes: Uint8Array): { digest: string; reference: string } | { error: string } {
  let doc: JsonValue;
  try {
    doc = parseStrictJson(new TextDecoder().decode(bytes));
  } catch (e) {
    return { error: e instanceof JsonSyntaxError ? e.message : String(e) };
  }
  const top = exactFields(doc, ['critical', 'optional']);
  if ('error' in top) return top;
  const optional = top.o.optional;
  if (!isObject(optional)) return { error: `JSON object expected, got "${goTokenText(optional)}"` };
  if (optional.timestamp !== undefined) {
    if (typeof optional.timestamp !== 'number') return { error: `json: cannot unmarshal ${goType(optional.timestamp)} into Go value of type float64` };
    if (!Number.isInteger(optional.timestamp)) return { error: 'Field optional.timestamp is not is not an integer' };
  }
  if (optional.creator !== undefined && typeof optional.creator !== 'string') return { error: `json: cannot unmarshal ${goType(optional.creator)} into Go value of type string` };
  const critical = exactFields(top.o.critical, ['type', 'image', 'identity']);
  if ('error' in critical) return critical;
  // Go's json decodes null into a string as "" (no error), so null behaves as an empty value below.
  const t = critical.o.type === null ? '' : critical.o.type;
  if (typeof t !== 'string') return { error: `json: cannot unmarshal ${goType(t)} into Go value of type string` };
  if (t !== SIMPLE_SIGNING_TYPE) return { error: `Unrecognized signature type ${t}` };
  const image = exactFields(critical.o.image, ['docker-manifest-digest']);
  if ('error' in image) return image;
  const digest = image.o['docker-manifest-digest'] === null ? '' : image.o['docker-manifest-digest'];
  if (typeof digest !== 'string') return { error: `json: cannot unmarshal ${goType(digest)} into Go value of type digest.Digest` };
  const identity = exactFields(critical.o.identity, ['docker-reference']);
  if ('error' in identity) return identity;
  const reference = identity.o['docker-reference'] === null ? '' : identity.o['docker-reference'];
  if (typeof reference !== 'string') return { error: `json: cannot unmarshal ${goType(reference)} into Go value of type string` };
  return { digest, reference };
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `ParanoidUnmarshalJSONObjectExactFields`: an object with exactly these keys (unknown → "Unknown key", missing → "… missing …"). */
function exactFields(v: JsonValue | undefined, fields: string[]): { o: JsonObject } | { error: string } {
  if (!isObject(v)) return { error: `JSON object expected, got "${goTokenText(v)}"` };
  for (const k of Object.keys(v)) if (!fields.includes(k)) return { error: `Unknown key "${k}"` };
  for (const k of fields) if (v[k] === undefined) return { error: `Key "${k}" missing in a JSON object` };
  return { o: v };
}

function goType(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function goTokenText(v: JsonValue | undefined): string {
  if (Array.isArray(v)) return '[';
  return v === undefined || v === null ? '%!s(<nil>)' : String(v);
}
