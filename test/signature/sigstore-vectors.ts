/**
 * Sigstore test vectors built from keys generated per test run: cosign-format payloads and annotations,
 * ECDSA P-256 keys, a Fulcio-like CA with leaf certificates carrying the OIDC issuer extensions, a Rekor key
 * and SETs over hashedrekord bundle payloads. Nothing here is copied from upstream fixtures.
 */
import { createHash, generateKeyPairSync, sign, webcrypto, KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { buildSigstorePayload } from '../../src/signature/sigstore-payload.ts';
import { canonicalJson } from '../../src/signature/sigstore-canonical-json.ts';
import { SIGSTORE_SIGNATURE_MIME_TYPE, type SigstoreSignature } from '../../src/signature/sigstore-verify.ts';
import type { JsonValue } from '../../src/policy/strict-json.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
export const IDENTITY = 'quay.io/org/app:1';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
}

export function ecKey(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function ed25519Key(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** cosign's signature: ECDSA-SHA256 (DER) over the payload bytes, base64 in the annotation. */
export function signPayload(key: KeyObject, payload: Uint8Array): string {
  const alg = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(alg, payload, key).toString('base64');
}

export function signature(key: KeyObject, opts: { digest?: string; ref?: string; annotations?: Record<string, string>; payload?: Uint8Array } = {}): SigstoreSignature {
  const payload = opts.payload ?? buildSigstorePayload(opts.digest ?? DIGEST, opts.ref ?? IDENTITY);
  return { payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: { 'dev.cosignproject.cosign/signature': signPayload(key, payload), ...opts.annotations } };
}

/** A Rekor SET (cosign bundle annotation) for a signature made with the key or certificate `keyOrCertPem`. */
export function rekorSet(rekor: KeyPair, keyOrCertPem: string, base64Sig: string, payload: Uint8Array, opts: { integratedTime?: number; tamper?: (body: Record<string, any>) => void } = {}): string {
  const body: Record<string, any> = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      signature: { content: base64Sig, publicKey: { content: Buffer.from(keyOrCertPem).toString('base64') } },
    },
  };
  opts.tamper?.(body);
  const Payload = { body: Buffer.from(JSON.stringify(body)).toString('base64'), integratedTime: opts.integratedTime ?? Math.floor(Date.now() / 1000), logIndex: 42, logID: 'c0ffee' };
  const set = sign('sha256', Buffer.from(canonicalJson(Payload as unknown as JsonValue)), rekor.privateKey).toString('base64');
  return JSON.stringify({ SignedEntryTimestamp: set, Payload });
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
let serialNo = 1;

export interface Ca {
  cert: x509.X509Certificate;
  pem: string;
  keys: webcrypto.CryptoKeyPair;
}

export async function makeCa(name: string, opts: { notBefore?: Date; notAfter?: Date; issuer?: Ca } = {}): Promise<Ca> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = opts.notBefore ?? new Date(Date.now() - 2 * 365 * 86400_000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86400_000);
  const exts = [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)];
  const cert = opts.issuer
    ? await x509.X509CertificateGenerator.create({ serialNumber: `0${serialNo++}`, subject: `CN=${name}`, issuer: opts.issuer.cert.subject, notBefore, notAfter, signingAlgorithm: SIGN, publicKey: keys.publicKey, signingKey: opts.issuer.keys.privateKey, extensions: exts })
    : await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: `0${serialNo++}`, name: `CN=${name}`, notBefore, notAfter, signingAlgorithm: SIGN, keys, extensions: exts });
  return { cert, pem: cert.toString('pem') + '\n', keys };
}

/** DER UTF8String, as Fulcio writes the v2 issuer extension. */
function derUtf8(s: string): Uint8Array {
  const b = Buffer.from(s);
  return Uint8Array.from([0x0c, b.length, ...b]);
}

export interface Leaf {
  pem: string;
  key: KeyObject;
}

export async function makeLeaf(
  issuer: Ca,
  opts: { email?: string; dns?: string; issuerV1?: string; issuerV2?: string; notBefore?: Date; notAfter?: Date; eku?: string } = {},
): Promise<Leaf> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const exts: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([opts.eku ?? x509.ExtendedKeyUsage.codeSigning])];
  const names: x509.JsonGeneralName[] = [];
  if (opts.email) names.push({ type: 'email', value: opts.email });
  if (opts.dns) names.push({ type: 'dns', value: opts.dns });
  if (names.length) exts.push(new x509.SubjectAlternativeNameExtension(names, true));
  if (opts.issuerV1 !== undefined) exts.push(new x509.Extension('1.3.6.1.4.1.57264.1.1', false, Buffer.from(opts.issuerV1)));
  if (opts.issuerV2 !== undefined) exts.push(new x509.Extension('1.3.6.1.4.1.57264.1.8', false, derUtf8(opts.issuerV2)));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `0${serialNo++}`,
    subject: '',
    issuer: issuer.cert.subject,
    notBefore: opts.notBefore ?? new Date(Date.now() - 600_000),
    notAfter: opts.notAfter ?? new Date(Date.now() + 600_000),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: exts,
  });
  return { pem: cert.toString('pem') + '\n', key: KeyObject.from(keys.privateKey) };
}
