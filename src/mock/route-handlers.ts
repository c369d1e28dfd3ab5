/**
 * The registry's answers for each route, from its content: manifests (Accept negotiation, by tag or
 * digest), blobs (Range), tag list, catalog and ping. Pure: request data in, response data out.
 */
import type { MockRequest, MockResponse } from './http-types.ts';
import type { RegistryContent } from './content-store.ts';
import { acceptedTypes, negotiate } from './media-types.ts';
import { registryError } from './error-body.ts';

/** JSON as distribution writes it: Go's json.Encoder ends with a newline; the ping's `{}` has none. */
function json(status: number, value: unknown, newline = true): MockResponse {
  const body = Buffer.from(JSON.stringify(value) + (newline ? '\n' : ''));
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) }, body };
}

export function pingAnswer(req: MockRequest): MockResponse {
  const r = json(200, {}, false);
  if (req.method === 'HEAD') delete r.body;
  return r;
}

export function catalogAnswer(content: RegistryContent): MockResponse {
  return json(200, { repositories: [...content.repos.keys()].sort() });
}

export function tagsAnswer(content: RegistryContent, name: string): MockResponse {
  const repo = content.repos.get(name);
  if (repo === undefined) return registryError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
  return json(200, { name, tags: [...repo.tags.keys()].sort() });
}

function manifestUnknown(name: string, reference: string, message = 'manifest unknown'): MockResponse {
  const detail = reference.includes(':') ? { Name: name, Revision: reference } : { Tag: reference };
  return registryError(404, 'MANIFEST_UNKNOWN', message, detail);
}

/** HEAD/GET a manifest by tag or digest. `staleRule`: a stale-tag rule fired, serve its variant for the tag. */
export function manifestAnswer(req: MockRequest, content: RegistryContent, name: string, reference: string, staleRule?: number): MockResponse {
  const repo = content.repos.get(name);
  if (repo === undefined) return manifestUnknown(name, reference);
  const byTag = !reference.includes(':');
  let m = byTag
    ? ((staleRule !== undefined ? repo.stale.get(`${staleRule}\t${reference}`) : undefined) ?? repo.tags.get(reference))
    : repo.manifests.get(reference);
  if (m === undefined) return manifestUnknown(name, reference);
  const n = negotiate(m.mediaType, acceptedTypes(req.headers['accept']), byTag);
  if (n.kind === 'refuse') return registryError(404, 'MANIFEST_UNKNOWN', n.message);
  if (n.kind === 'default-platform') m = repo.defaultChild.get(m.digest) ?? m;
  return {
    status: 200,
    headers: {
      'content-type': m.mediaType,
      'content-length': String(m.bytes.length),
      'docker-content-digest': m.digest,
      etag: `"${m.digest}"`,
    },
    ...(req.method === 'HEAD' ? {} : { body: m.bytes }),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end) ; 'invalid' when unsatisfiable; undefined to ignore. */
export function parseRange(header: string | undefined, size: number): [number, number] | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined; // multiple or malformed ranges: serve it all
  if (m[1] === '') {
    const n = Math.min(Number(m[2]), size);
    return n === 0 ? 'invalid' : [size - n, size];
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || last < start) return 'invalid';
  return [start, last + 1];
}

/** HEAD/GET a blob, with Range (206) as distribution serves it through http.ServeContent. */
export function blobAnswer(req: MockRequest, content: RegistryContent, name: string, digest: string): MockResponse {
  const blob = content.repos.get(name)?.blobs.get(digest);
  if (blob === undefined) return registryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', digest);
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'docker-content-digest': blob.digest,
    etag: `"${blob.digest}"`,
    'accept-ranges': 'bytes',
    'cache-control': 'max-age=31536000',
  };
  const rangeHeader = req.headers['range'];
  const range = parseRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, blob.size);
  if (range === 'invalid') {
    return registryError(416, 'RANGE_INVALID', 'invalid content range', undefined, { 'content-range': `bytes */${blob.size}` });
  }
  const [start, end] = range ?? [0, blob.size];
  headers['content-length'] = String(end - start);
  if (range !== undefined) headers['content-range'] = `bytes ${start}-${end - 1}/${blob.size}`;
  return {
    status: range !== undefined ? 206 : 200,
    headers,
    ...(req.method === 'HEAD' ? {} : { body: { blob, start, end } }),
  };
}
