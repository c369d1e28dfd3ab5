/**
 * The cosign "simple signing" payload, parsed as containers/image does it
 * (signature/internal/sigstore_payload.go, UntrustedSigstorePayload.strictUnmarshalJSON): exactly the fields
 * `critical` and `optional`; `critical` exactly `type`, `image`, `identity`; `type` must be
 * "cosign container image signature"; `optional` may be null (cosign writes null without annotations);
 * `optional.timestamp` must be an integer. Every failure is an InvalidSignatureError with the runtime's text.
 */
import { parseStrictJson, JsonSyntaxError, type JsonValue } from '../policy/strict-json.ts';
import { digestError } from '../reference/index.ts';
import { invalid } from './sigstore-errors.ts';

export const SIGSTORE_SIGNATURE_TYPE = 'cosign container image signature';
const SHA256_RE = /^sha256:[0-9a-f]{64}$/;

export interface UntrustedSigstorePayload {
  dockerManifestDigest: string;
  dockerReference: string;
  creator?: string;
  timestamp?: number;
}

type Obj = Record<string, JsonValue>;

/** Go's %#v of a JSON token that is not an object (approximately: Go prints the decoded token). */
function tokenText(v: JsonValue): string {
  if (Array.isArray(v)) return 'json.Delim(91)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return String(v);
}

/** ParanoidUnmarshalJSONObjectExactFields (signature/internal/json.go): unknown and missing keys are errors. */
function exactFields(v: JsonValue, fields: string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(`JSON object expected, got ${tokenText(v)}`);
  for (const k of Object.keys(v)) if (!fields.includes(k)) throw invalid(`Unknown key ${JSON.stringify(k)}`);
  for (const k of fields) if (!(k in v)) throw invalid(`Key ${JSON.stringify(k)} missing in a JSON object`);
  return v;
}

/** Go's json.Unmarshal into a string: a JSON null leaves it empty; other types are type errors. */
function goString(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  throw invalid(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
}

export function jsonKind(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Parses JSON with the runtime's duplicate-key rejection; syntax errors are InvalidSignatureErrors. */
export function parseUntrustedJson(bytes: Uint8Array | string): JsonValue {
  try {
    return parseStrictJson(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw invalid(e.message);
    throw e;
  }
}

/**
 * Fast path: a payload that JSON.stringify reproduces byte for byte (what cosign and containers/image write:
 * Go's json.Marshal, no whitespace) cannot hold a duplicate key (JSON.parse would have dropped one and the
 * text would be shorter), so the native parser is enough. Anything else goes through the strict parser.
 */
function parsePayloadJson(bytes: Uint8Array): JsonValue {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    const v = JSON.parse(text) as JsonValue;
    if (JSON.stringify(v) === text) return v;
  } catch {
    // the strict parser reports it with the runtime's words
  }
  return parseUntrustedJson(text);
}

export function parseSigstorePayload(bytes: Uint8Array): UntrustedSigstorePayload {
  const top = exactFields(parsePayloadJson(bytes), ['critical', 'optional']);
  const out: UntrustedSigstorePayload = { dockerManifestDigest: '', dockerReference: '' };
  const optional = top.optional!;
  if (optional !== null) {
    if (typeof optional !== 'object' || Array.isArray(optional)) throw invalid(`JSON object expected, got ${tokenText(optional)}`);
    if ('creator' in optional) out.creator = goString(optional.creator!);
    if ('timestamp' in optional) {
      const t = optional.timestamp!;
      if (typeof t !== 'number') throw invalid(`json: cannot unmarshal ${jsonKind(t)} into Go value of type float64`);
      if (!Number.isInteger(t)) throw invalid('Field optional.timestamp is not is not an integer'); // sic, upstream text
      out.timestamp = t;
    }
  }
  const critical = exactFields(top.critical!, ['type', 'image', 'identity']);
  const type = goString(critical.type!);
  if (type !== SIGSTORE_SIGNATURE_TYPE) throw invalid(`Unrecognized signature type ${type}`);
  const image = exactFields(critical.image!, ['docker-manifest-digest']);
  const digest = goString(image['docker-manifest-digest']!);
  const bad = SHA256_RE.test(digest) ? null : digestError(digest); // the common case without go-digest's full check
  if (bad) throw invalid(`invalid docker-manifest-digest value ${JSON.stringify(digest)}: ${bad}`);
  out.dockerManifestDigest = digest;
  const identity = exactFields(critical.identity!, ['docker-reference']);
  out.dockerReference = goString(identity['docker-reference']!);
  return out;
}

/** The payload cosign and containers/image write (sigstore_payload.go MarshalJSON: Go map keys sorted). */
export function buildSigstorePayload(dockerManifestDigest: string, dockerReference: string, optional: Record<string, unknown> | null = null): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': dockerManifestDigest }, type: SIGSTORE_SIGNATURE_TYPE },
      optional,
    }),
  );
}
