/**
 * The runtime's reading of a manifest it fetched (containers/image 5.23: manifest.NormalizedMIMEType and
 * image.manifestInstanceFromBlob with manifest.{Schema1,Schema2,OCI1,OCI1Index,Schema2List}FromManifest),
 * reduced to the verdict and Go's error text. The runtime chooses a source on the manifest GET's status alone
 * and parses afterwards; a 200 that is not a manifest fails the pull there, without failover.
 *
 *  - the Content-Type (parameters dropped) picks the parser; `application/json`, an unknown type or none is
 *    read as Docker schema 1 (so `{}` fails with `unsupported schema version 0`);
 *  - JSON is checked as Go's encoding/json checks it (go-json.ts, including its 10000-level depth limit);
 *  - validateUnambiguousManifestFormat rejects fields of another format;
 *  - schema 2 checks its own and its layers' media types; schema 1 its fsLayers/history invariants.
 */
import { MEDIA } from './manifest.ts';
import { goJsonError } from './go-json.ts';
import { goQuoteBytes } from './go-quote.ts';

/** manifest.NormalizedMIMEType. */
export function normalizedMimeType(mt: string): string {
  switch (mt) {
    case MEDIA.dockerV1:
    case MEDIA.dockerV1Signed:
    case MEDIA.ociManifest:
    case MEDIA.ociIndex:
    case MEDIA.dockerV2:
    case MEDIA.dockerList:
      return mt;
    default:
      // "application/json", "text/plain", "" and anything else: the runtime tries schema 1.
      return MEDIA.dockerV1Signed;
  }
}

const SCHEMA2_MEDIA_TYPES = new Set([
  MEDIA.dockerList,
  MEDIA.dockerV1,
  MEDIA.dockerV1Signed,
  'application/vnd.docker.container.image.v1+json',
  'application/vnd.docker.image.rootfs.foreign.diff.tar',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  MEDIA.dockerV2,
  'application/vnd.docker.image.rootfs.diff.tar',
]);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The value Go's decoder would put in a struct field tagged `name`: keys match case-insensitively
 * (an exact match wins), and the last duplicate wins.
 */
function field(obj: Json, name: string): Json | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  let found: Json | undefined;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) found = obj[k];
  return found;
}

const KIND = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);

/** Go's UnmarshalTypeError text for the fields read here (`json: cannot unmarshal string into Go struct field …`). */
function typeError(v: Json, struct: string, name: string, goType: string): string {
  const what = typeof v === 'number' ? `number ${String(v)}` : KIND(v);
  return `json: cannot unmarshal ${what} into Go struct field ${struct}.${name} of type ${goType}`;
}

function wantString(m: Json, struct: string, name: string): string | { error: string } {
  const v = field(m, name);
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : { error: typeError(v, struct, name, 'string') };
}

function wantInt(m: Json, struct: string, name: string): number | { error: string } {
  const v = field(m, name);
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return { error: typeError(v, struct, name, 'int') };
}

/** validateUnambiguousManifestFormat: fields of other formats (`expected` is only used in the words, as upstream). */
function ambiguous(m: Json, expected: string, allowed: readonly string[]): string | null {
  const unexpected = ['config', 'fsLayers', 'history', 'layers', 'manifests'].filter((f) => !allowed.includes(f) && field(m, f) !== undefined && field(m, f) !== null);
  if (unexpected.length === 0) return null;
  return `rejecting ambiguous manifest, unexpected fields []string{${unexpected.map((f) => `"${f}"`).join(', ')}} in supposedly ${expected}`;
}

/** Go's `%q` of a whole manifest in an error, kept readable: long bodies are cut in the middle. */
function quotedBody(body: Uint8Array): string {
  const MAX = 512;
  if (body.length <= MAX) return goQuoteBytes(body);
  const head = goQuoteBytes(body.subarray(0, MAX / 2)).slice(0, -1);
  const tail = goQuoteBytes(body.subarray(body.length - MAX / 2)).slice(1);
  return `${head}…(${body.length - MAX} bytes not shown)…${tail}`;
}

export interface ParsedManifest {
  /** The normalized MIME type the runtime parsed it as. */
  mimeType: string;
  /** true for an OCI index / Docker manifest list. */
  isList: boolean;
  /** Go's error, or null when the runtime accepts the manifest. */
  error: string | null;
}

/** What the runtime makes of `body` served with Content-Type `mediaType` (image.FromUnparsedImage's parse step). */
export function parseManifestAsRuntime(body: Uint8Array, mediaType: string): ParsedManifest {
  const mimeType = normalizedMimeType(mediaType);
  const isList = mimeType === MEDIA.ociIndex || mimeType === MEDIA.dockerList;
  const done = (error: string | null): ParsedManifest => ({ mimeType, isList, error });
  const syntax = goJsonError(body);
  if (isList) {
    const [wrap, unmarshal] = mimeType === MEDIA.ociIndex ? ['parsing OCI1 index', 'OCI1Index'] : ['parsing schema2 manifest list', 'Schema2List'];
    if (syntax !== null) return done(`${wrap}: unmarshaling ${unmarshal} ${quotedBody(body)}: ${syntax}`);
    const m = JSON.parse(Buffer.from(body).toString('utf8')) as Json;
    if (KIND(m) !== 'object' && m !== null) return done(`${wrap}: unmarshaling ${unmarshal} ${quotedBody(body)}: json: cannot unmarshal ${KIND(m)} into Go value of type manifest.${unmarshal}`);
    const manifests = field(m, 'manifests');
    if (manifests !== undefined && manifests !== null && !Array.isArray(manifests)) {
      return done(`${wrap}: unmarshaling ${unmarshal} ${quotedBody(body)}: ${typeError(manifests, unmarshal, 'manifests', unmarshal === 'OCI1Index' ? '[]v1.Descriptor' : '[]manifest.Schema2ManifestDescriptor')}`);
    }
    const amb = ambiguous(m, mimeType, ['manifests']);
    return done(amb ? `${wrap}: ${amb}` : null);
  }
  if (syntax !== null) return done(syntax);
  const m = JSON.parse(Buffer.from(body).toString('utf8')) as Json;
  const struct = mimeType === MEDIA.ociManifest ? 'OCI1' : mimeType === MEDIA.dockerV2 ? 'Schema2' : 'Schema1';
  if (KIND(m) !== 'object' && m !== null) return done(`json: cannot unmarshal ${KIND(m)} into Go value of type manifest.${struct}`);
  const version = wantInt(m, struct, 'schemaVersion');
  if (typeof version !== 'number') return done(version.error);
  const mt = wantString(m, struct, 'mediaType');
  if (typeof mt !== 'string') return done(mt.error);
  switch (mimeType) {
    case MEDIA.ociManifest:
      // Upstream names the index type in this message (OCI1FromManifest); kept as the runtime words it.
      return done(ambiguous(m, MEDIA.ociIndex, ['config', 'layers']));
    case MEDIA.dockerV2: {
      const amb = ambiguous(m, MEDIA.dockerV2, ['config', 'layers']);
      if (amb) return done(amb);
      if (!SCHEMA2_MEDIA_TYPES.has(mt)) return done(`unsupported docker v2s2 media type: ${goQuoteBytes(Buffer.from(mt))}`);
      const layers = field(m, 'layers');
      if (Array.isArray(layers)) {
        for (const l of layers) {
          const lmt = wantString(l, 'Schema2Descriptor', 'mediaType');
          if (typeof lmt !== 'string') return done(lmt.error);
          if (!SCHEMA2_MEDIA_TYPES.has(lmt)) return done(`unsupported docker v2s2 media type: ${goQuoteBytes(Buffer.from(lmt))}`);
        }
      }
      return done(null);
    }
    default: {
      if (version !== 1) return done(`unsupported schema version ${version}`);
      const amb = ambiguous(m, MEDIA.dockerV1Signed, ['fsLayers', 'history']);
      if (amb) return done(amb);
      const fsLayers = field(m, 'fsLayers');
      const history = field(m, 'history');
      const nLayers = Array.isArray(fsLayers) ? fsLayers.length : 0;
      const nHistory = Array.isArray(history) ? history.length : 0;
      if (nLayers !== nHistory) return done('length of history not equal to number of layers');
      if (nLayers === 0) return done('no FSLayers in manifest');
      for (let i = 0; i < nHistory; i++) {
        const v1 = wantString((history as Json[])[i]!, 'Schema1History', 'v1Compatibility');
        if (typeof v1 !== 'string') return done(v1.error);
        const err = goJsonError(Buffer.from(v1));
        if (err !== null) return done(`parsing v2s1 history entry ${i}: ${err}`);
      }
      return done(null);
    }
  }
}
