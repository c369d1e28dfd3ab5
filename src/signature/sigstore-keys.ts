/**
 * Public keys and payload signatures as sigstore/sigstore does them for containers/image
 * (cryptoutils.UnmarshalPEMToPublicKey; signature.LoadVerifier with SHA-256, the hash containers/image hard-codes
 * in signature/internal/sigstore_payload.go). Primitives are Node's crypto; nothing is hand-rolled.
 *
 * Parsed keys are cached by their PEM text (bounded): a policy's keys are the same for every image, and
 * parsing a key costs about as much as verifying a signature with it.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';

const cache = new Map<string, KeyObject>();

export class KeyParseError extends Error {}

/** cryptoutils.UnmarshalPEMToPublicKey: one PEM block (PUBLIC KEY, or PKCS#1 RSA PUBLIC KEY). */
export function parsePublicKeyPem(pem: Uint8Array | string): KeyObject {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  const hit = cache.get(text);
  if (hit) return hit;
  const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!m || !text.includes(`-----END ${m[1]}-----`)) throw new KeyParseError('PEM decoding failed');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (e) {
    // Go's x509.ParsePKIXPublicKey texts are not reproducible from OpenSSL's; say what failed.
    throw new KeyParseError(`x509: failed to parse public key: ${(e as Error).message}`);
  }
  if (cache.size >= 256) cache.clear();
  cache.set(text, key);
  return key;
}

/** cryptoutils.MarshalPublicKeyToPEM's DER: SubjectPublicKeyInfo. */
export function publicKeyDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** signature.LoadVerifier refuses key types it has no verifier for. */
export function verifierError(key: KeyObject): string | null {
  const t = key.asymmetricKeyType;
  if (t === 'ec' || t === 'rsa' || t === 'ed25519') return null;
  return 'unsupported public key type';
}

/**
 * One key's VerifySignature over the payload, with sigstore's failure text, or null when it verifies:
 * ECDSA (ecdsa.go: ASN.1 first; a signature that is not ASN.1 is read as IEEE P1363), RSA PKCS#1 v1.5
 * (rsa_pkcs1v15.go, Go's crypto/rsa text), Ed25519 (ed25519.go).
 */
export function verifyBlob(key: KeyObject, payload: Uint8Array, sig: Uint8Array): string | null {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      if (sig.length > 0 && sig[0] === 0x30) {
        return safeVerify('sha256', payload, key, sig) ? null : 'invalid signature when validating ASN.1 encoded signature';
      }
      if (sig.length === 0 || sig.length > 132 || sig.length % 2 !== 0) return 'ecdsa: Invalid IEEE_P1363 encoded bytes';
      return safeVerify('sha256', payload, { key, dsaEncoding: 'ieee-p1363' }, sig) ? null : 'invalid signature when validating IEEE_P1363 encoded signature';
    }
    case 'rsa':
      return safeVerify('sha256', payload, key, sig) ? null : 'crypto/rsa: verification error';
    case 'ed25519':
      return safeVerify(null, payload, key, sig) ? null : 'failed to verify signature';
    default:
      return 'unsupported public key type';
  }
}

function safeVerify(alg: string | null, data: Uint8Array, key: Parameters<typeof cryptoVerify>[2], sig: Uint8Array): boolean {
  try {
    return cryptoVerify(alg, data, key, sig);
  } catch {
    return false; // malformed signature encodings: OpenSSL throws where Go returns false
  }
}
