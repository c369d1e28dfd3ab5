/**
 * The Rekor SET of a cosign signature (annotation `dev.sigstore.cosign/bundle`), verified as containers/image
 * does (signature/internal/rekor_set.go, VerifyRekorSET): the SET's ECDSA signature over the SHA-256 of the
 * canonical JSON of `Payload` (any of the Rekor keys may match — current main; v5.23 has no Rekor support),
 * then the hashedrekord body inside must name the same public key or certificate (PEM payload bytes), the same
 * signature bytes, and the SHA-256 of the same payload. Returns the integrated time (the time Fulcio
 * certificates are checked at). Every failure is an InvalidSignatureError with the runtime's text.
 */
import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { JsonValue } from '../policy/strict-json.ts';
import { canonicalJson } from './sigstore-canonical-json.ts';
import { parseUntrustedJson, jsonKind } from './sigstore-payload.ts';
import { invalid } from './sigstore-errors.ts';

/** models.HashedrekordV001Schema's API version (rekor_set.go HashedRekordV001APIVersion). */
export const HASHED_REKORD_V001 = '0.0.1';

type Obj = Record<string, JsonValue>;

function exactFields(v: JsonValue, fields: string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(`JSON object expected, got ${JSON.stringify(v)}`);
  for (const k of Object.keys(v)) if (!fields.includes(k)) throw invalid(`Unknown key ${JSON.stringify(k)}`);
  for (const k of fields) if (!(k in v)) throw invalid(`Key ${JSON.stringify(k)} missing in a JSON object`);
  return v;
}

/** Go decodes a JSON string into []byte as standard base64. */
function goBytes(v: JsonValue, wrap = (m: string) => m): Buffer {
  if (v === null) return Buffer.alloc(0);
  if (typeof v !== 'string') throw invalid(wrap(`json: cannot unmarshal ${jsonKind(v)} into Go value of type []uint8`));
  const b = strictBase64(v);
  if (!b) throw invalid(wrap('illegal base64 data at input byte 0'));
  return b;
}

/** base64.StdEncoding.DecodeString: padded standard alphabet only. */
export function strictBase64(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

function goInt64(v: JsonValue): number {
  if (typeof v !== 'number') throw invalid(`json: cannot unmarshal ${jsonKind(v)} into Go value of type int64`);
  if (!Number.isInteger(v)) throw invalid(`json: cannot unmarshal number ${v} into Go value of type int64`);
  return v;
}

/** pem.Decode: the first block's DER bytes and what follows it. */
function pemDecode(bytes: Buffer): { der: Buffer; rest: string } | null {
  const text = bytes.toString('latin1');
  const m = /-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----[ \t]*\r?\n?/.exec(text);
  if (!m) return null;
  const body = m[2]!.split(/\r?\n/).filter((l) => !/^[\w-]+:/.test(l)).join('');
  return { der: Buffer.from(body, 'base64'), rest: text.slice(m.index + m[0].length) };
}

function obj(v: JsonValue | undefined): Obj | null {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

/**
 * @param rekorKeys the policy's Rekor public keys (ECDSA, already checked)
 * @param keyOrCertPem the PEM the hashedrekord entry must name: the policy's public key re-marshalled, or the signature's certificate
 * @returns the integrated time, seconds since the epoch
 */
export function verifyRekorSet(rekorKeys: KeyObject[], setBytes: Uint8Array, keyOrCertPem: Uint8Array, base64Signature: string, payload: Uint8Array): number {
  // == Parse SET bytes (UntrustedRekorSET: exactly SignedEntryTimestamp and Payload)
  const set = exactFields(parseUntrustedJson(setBytes), ['SignedEntryTimestamp', 'Payload']);
  const setSignature = goBytes(set.SignedEntryTimestamp!);
  // == Verify SET signature over the canonical JSON of Payload
  const canonical = Buffer.from(canonicalJson(set.Payload!), 'utf8');
  const matched = rekorKeys.some((k) => {
    try {
      return cryptoVerify('sha256', canonical, { key: k, dsaEncoding: 'der' }, setSignature);
    } catch {
      return false;
    }
  });
  if (!matched) throw invalid('cryptographic signature verification of Rekor SET failed');

  // == Parse SET payload (UntrustedRekorPayload: exactly body, integratedTime, logIndex, logID)
  let p: Obj;
  try {
    p = exactFields(set.Payload!, ['body', 'integratedTime', 'logIndex', 'logID']);
  } catch (e) {
    throw invalid(`parsing Rekor SET payload: ${(e as Error).message}`);
  }
  const integratedTime = goInt64(p.integratedTime!);
  goInt64(p.logIndex!);
  const body = goBytes(p.body!);
  let rekord: Obj | null;
  try {
    rekord = obj(parseUntrustedJson(body));
  } catch (e) {
    throw invalid(`decoding the body of a Rekor SET payload: ${(e as Error).message}`);
  }
  // models.Hashedrekord's decoder validates "kind" (swagger's discriminator).
  if (!rekord || rekord.kind !== 'hashedrekord') throw invalid(`decoding the body of a Rekor SET payload: invalid kind ${JSON.stringify(rekord?.kind ?? null)}`);
  if (typeof rekord.apiVersion !== 'string') throw invalid('missing Rekor SET Payload API version');
  // Upstream formats the *string pointer with %#v, printing an address; the value is what a user can act on.
  if (rekord.apiVersion !== HASHED_REKORD_V001) throw invalid(`unsupported Rekor SET Payload hashedrekord version ${JSON.stringify(rekord.apiVersion)}`);
  const spec = obj(rekord.spec);

  // == Match the public key or certificate
  const sig = obj(spec?.signature);
  if (!sig) throw invalid('Missing "signature" field in hashedrekord');
  const pk = obj(sig.publicKey);
  if (!pk) throw invalid('Missing "signature.publicKey" field in hashedrekord');
  const rekorPem = pemDecode(goBytes(pk.content ?? null, (m) => `decoding hashedrekod spec: ${m}`));
  if (!rekorPem) throw invalid('publicKey in Rekor SET is not in PEM format');
  if (rekorPem.rest.length !== 0) throw invalid('publicKey in Rekor SET has trailing data');
  const ourPem = pemDecode(Buffer.from(keyOrCertPem));
  if (!ourPem) throw invalid('public key or cert to be matched against publicKey in Rekor SET is not in PEM format');
  if (ourPem.rest.length !== 0) throw invalid('public key or cert to be matched against publicKey in Rekor SET has trailing data');
  if (!rekorPem.der.equals(ourPem.der)) throw invalid('publicKey in Rekor SET does not match');

  // == Match the signature bytes
  const ours = strictBase64(base64Signature);
  if (!ours) throw invalid('decoding signature base64: illegal base64 data at input byte 0');
  const theirs = goBytes(sig.content ?? null, (m) => `decoding hashedrekod spec: ${m}`);
  if (!theirs.equals(ours)) throw invalid(`signature in Rekor SET does not match: ${goQuoted(theirs)} vs. ${goQuoted(ours)}`);

  // == Match the payload hash
  const data = obj(spec?.data);
  if (!data) throw invalid('Missing "data" field in hashedrekord');
  const hash = obj(data.hash);
  if (!hash) throw invalid('Missing "data.hash" field in hashedrekord');
  if (hash.algorithm === undefined || hash.algorithm === null) throw invalid('Missing "data.hash.algorithm" field in hashedrekord');
  if (hash.algorithm !== 'sha256') throw invalid(`Unexpected "data.hash.algorithm" value ${JSON.stringify(hash.algorithm)}`);
  if (typeof hash.value !== 'string') throw invalid('Missing "data.hash.value" field in hashedrekord');
  if (!/^([0-9a-fA-F]{2})*$/.test(hash.value)) throw invalid(`Invalid "data.hash.value" field in hashedrekord: encoding/hex: invalid byte`);
  const want = createHash('sha256').update(payload).digest();
  if (!Buffer.from(hash.value, 'hex').equals(want)) throw invalid('payload in Rekor SET does not match');
  return integratedTime;
}

/** Go's %#v of a string holding arbitrary bytes (strconv.Quote, approximately: JSON's escaping of the latin1 view). */
function goQuoted(b: Buffer): string {
  return JSON.stringify(b.toString('latin1'));
}
