/**
 * A containerd Resolution (`--runtime containerd`) pulled as containerd 1.6's remote resolver pulls
 * (remotes/docker/resolver.go Resolve, then fetcher.go Fetch). It differs from the containers/image loop in
 * pull-one.ts in ways that are containerd's, not pullpath's:
 *  - resolve: for each path (`manifests/REF`; for a digest also `blobs/DIGEST` after every host said no), each
 *    host that may resolve it (tag: `pull`+`resolve`; digest: `pull`) gets a HEAD (GET when the HEAD gives no
 *    digest or size). 404 → next host; a status > 399 or a transport/auth error → remembered if it is the
 *    first, next host; a 3xx or a failing GET after the HEAD → the pull stops;
 *  - the final error is the first non-404 error, or `REF: not found` when every host answered 404, wrapped as
 *    `failed to resolve reference "REF": …`;
 *  - after resolving, manifests by digest (and blobs) are fetched by walking *all* hosts again from the first,
 *    whatever their capabilities and whichever host resolved the tag.
 * Each (path, host) pair is one attempt event, so the views show containerd's attempts one by one.
 */
import type { PullSource, Resolution } from '../resolve/resolution.ts';
import type { AttemptEvent, AttemptStep, PullEvent, ResultEvent } from '../events/pull-events.ts';
import type { ErrorClass } from '../registry/error-class.ts';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';
import type { PullOptions } from './options.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { header } from '../registry/transport.ts';
import { sha256Digest, chooseInstance, formatPlatform, hostPlatform, imageBlobs } from '../registry/manifest.ts';
import { parseManifestAsRuntime } from '../registry/manifest-parse.ts';
import {
  CONTAINERD_MAX_MANIFEST_SIZE,
  CONTAINERD_RESOLVE_ACCEPT,
  ContainerdAuthState,
  containerdRequest,
  type ContainerdRequestContext,
} from '../registry/containerd-request.ts';
import { AttemptDeadline } from './attempt-deadline.ts';
import { splitPhysicalRef } from './physical-ref.ts';
import {
  containerdPrintedErrors,
  fetchStatusError,
  hostStatusError,
  isNotFoundError,
  resolveFailed,
  unexpectedHostStatusError,
} from './containerd-errors.ts';

const SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
const MANIFEST_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  SCHEMA1,
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

/** resolver.go getManifestMediaType: Content-Type without parameters; `text/plain` is schema 1. */
function manifestMediaType(contentType: string | undefined): string {
  let ct = contentType ?? '';
  const semi = ct.indexOf(';');
  if (semi !== -1) ct = ct.slice(0, semi);
  return ct === 'text/plain' ? SCHEMA1 : ct;
}

export interface ContainerdDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

/** What one (path, host) resolve attempt ended with; `next` moves on, `stop` ends the pull with its error. */
type ResolveStep =
  | { kind: 'resolved'; desc: ContainerdDescriptor }
  | { kind: 'not-found'; error: string }
  | { kind: 'next'; error: string; errorClass: ErrorClass; status: number | null }
  | { kind: 'stop'; error: string; errorClass: ErrorClass; status: number | null };

interface Ctx {
  resolution: Resolution;
  options: PullOptions;
  emit: (e: PullEvent) => void;
  result: (fields: Partial<ResultEvent> & { ok: boolean; error: string | null; errorClass: ErrorClass | null }) => ResultEvent;
  image: string;
  at: () => number;
  signal: AbortSignal | undefined;
}

function endpointOf(s: PullSource): ContainerdEndpoint | null {
  return s.containerd ?? null;
}

/** One auth state per pull, as one `ctr` process (the CRI keeps one per pull request too). */
function requestContext(options: PullOptions, scope: string, signal: AbortSignal | undefined, steps: AttemptStep[], auth: ContainerdAuthState): ContainerdRequestContext {
  const client = options.client;
  return {
    dispatchers: client.dispatchers,
    auth,
    credentialsFor: async (host) => (await client.credentialsFor?.(host)) ?? null,
    redactor: client.redactor,
    scope,
    ...(options.containerdSystemCa ? { systemCa: options.containerdSystemCa } : {}),
    ...(signal ? { signal } : {}),
    steps,
  };
}

async function resolveOnHost(ep: ContainerdEndpoint, repo: string, parts: string[], refDigest: string | null, ref: string, rctx: ContainerdRequestContext): Promise<ResolveStep> {
  let r;
  try {
    r = await containerdRequest(ep, repo, 'HEAD', parts, CONTAINERD_RESOLVE_ACCEPT, rctx, { step: 'manifest' });
  } catch (err) {
    const e = err as RegistryError;
    const message = e.message.startsWith('server message: ') ? `pull access denied, repository does not exist or may require authorization: ${e.message}` : e.message;
    return { kind: 'next', error: message, errorClass: e.errorClass, status: e.httpStatus ?? null };
  }
  const { res } = r;
  if (res.status > 299) {
    if (res.status === 404) return { kind: 'not-found', error: hostStatusError(ep.host, parts, 404) };
    if (res.status > 399) {
      const cls: ErrorClass = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 429 ? 'rate-limited' : res.status >= 500 ? 'server-error' : 'http-error';
      return { kind: 'next', error: hostStatusError(ep.host, parts, res.status), errorClass: cls, status: res.status };
    }
    return { kind: 'stop', error: unexpectedHostStatusError(ep.host, parts, res.status), errorClass: 'http-error', status: res.status };
  }
  const lengthHeader = header(res.headers, 'content-length');
  let size = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : r.method === 'GET' ? res.body.length : -1;
  let mediaType = manifestMediaType(header(res.headers, 'content-type'));
  let digest = refDigest;
  if (digest === null) {
    const announced = header(res.headers, 'docker-content-digest');
    if (announced && size !== -1) {
      if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(announced) || (announced.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(announced))) {
        return { kind: 'stop', error: `${JSON.stringify(announced)} in header not a valid digest: invalid checksum digest format`, errorClass: 'digest-mismatch', status: res.status };
      }
      digest = announced;
    }
  }
  if (digest === null || size === -1) {
    // "no Docker-Content-Digest header, fetching manifest instead": a GET whose status containerd never checks.
    let g;
    try {
      g = await containerdRequest(ep, repo, 'GET', parts, CONTAINERD_RESOLVE_ACCEPT, rctx, { step: 'manifest' });
    } catch (err) {
      const e = err as RegistryError;
      return { kind: 'stop', error: e.message, errorClass: e.errorClass, status: e.httpStatus ?? null };
    }
    mediaType = manifestMediaType(header(g.res.headers, 'content-type'));
    if (digest === null) digest = sha256Digest(g.res.body);
    size = g.res.body.length;
    const last = rctx.steps?.[rctx.steps.length - 1];
    if (last && g.res.status !== 200) last.detail = [last.detail, `containerd does not check this GET's status (${g.res.status}): it digests whatever came back`].filter(Boolean).join('; ');
  }
  if (size > CONTAINERD_MAX_MANIFEST_SIZE) {
    return { kind: 'next', error: `rejecting ${size} byte manifest for ${ref}: not found`, errorClass: 'too-large', status: res.status };
  }
  return { kind: 'resolved', desc: { digest, mediaType, size } };
}

/**
 * fetcher.go Fetch for one descriptor: manifests by `manifests/DIGEST` on every host in order, anything else by
 * `blobs/DIGEST`; the first host that answers 2xx serves it. Returns the body, or the error containerd reports
 * (the first error; for blobs a not-found becomes `could not fetch content descriptor …`).
 */
async function fetchWalk(hosts: ContainerdEndpoint[], repo: string, desc: ContainerdDescriptor, rctx: ContainerdRequestContext, method: 'GET' | 'HEAD' = 'GET'): Promise<{ body: Buffer; host: ContainerdEndpoint } | { error: string; errorClass: ErrorClass }> {
  const isManifest = MANIFEST_TYPES.has(desc.mediaType);
  let first: { error: string; errorClass: ErrorClass } | null = null;
  for (const ep of hosts) {
    const parts = [isManifest ? 'manifests' : 'blobs', desc.digest];
    try {
      const { res, url } = await containerdRequest(ep, repo, method, parts, `${desc.mediaType}, */*`, rctx, { step: isManifest ? 'manifest' : 'blobs', maxBodyBytes: Math.max(desc.size, 0) + 1 });
      if (res.status > 299) {
        first ??= { error: fetchStatusError(url, res.status, res.body), errorClass: res.status === 404 ? 'not-found' : res.status >= 500 ? 'server-error' : 'http-error' };
        continue;
      }
      return { body: res.body, host: ep };
    } catch (err) {
      const e = err as RegistryError;
      first ??= { error: e.message, errorClass: e.errorClass };
    }
  }
  if (first === null) return { error: 'no pull hosts: not found', errorClass: 'not-found' };
  if (!isManifest && isNotFoundError(first.error)) {
    return { error: `could not fetch content descriptor ${desc.digest} (${desc.mediaType}) from remote: not found`, errorClass: 'not-found' };
  }
  return first;
}

/** content.Copy's wording when the bytes do not match the descriptor (local content store commit). */
function commitCheck(desc: ContainerdDescriptor, body: Buffer): string | null {
  const ref = `${desc.mediaType.includes('index') || desc.mediaType.includes('list') ? 'index' : 'manifest'}-${desc.digest}`;
  if (desc.size >= 0 && body.length !== desc.size) return `failed commit on ref ${JSON.stringify(ref)}: unexpected commit size ${body.length}, expected ${desc.size}: failed precondition`;
  const got = sha256Digest(body);
  if (desc.digest.startsWith('sha256:') && got !== desc.digest) return `failed commit on ref ${JSON.stringify(ref)}: unexpected commit digest ${got}, expected ${desc.digest}: failed precondition`;
  return null;
}

function copyError(err: string): string {
  // httpReadSeeker opens on the first read inside content.Copy.
  return `failed to copy: httpReadSeeker: failed open: ${err}`;
}

function printedNotes(ref: string, err: string): string[] {
  const p = containerdPrintedErrors(ref, err);
  return [`ctr prints: ${p.ctr}`, `crictl pull prints: ${p.crictl}`];
}

/** Runs a containerd Resolution (its `image` event is already out). */
export async function pullContainerd(c: Ctx): Promise<ResultEvent> {
  const { resolution, options, emit, image, at, signal } = c;
  const ref = resolution.normalized!;
  const parsed = splitPhysicalRef(ref);
  const repo = parsed.path;
  const scope = `repository:${repo}:pull`;
  const sources = resolution.sources.filter((s) => endpointOf(s) !== null);
  const allHosts = resolution.containerdFetchHosts ?? sources.map((s) => s.containerd!);
  const wantCaps = parsed.digest ? ['pull'] : ['pull', 'resolve'];
  const resolving = sources.filter((s) => wantCaps.every((cap) => s.containerd!.capabilities.includes(cap as never)));
  const paths = parsed.digest ? [['manifests', parsed.digest], ['blobs', parsed.digest]] : [['manifests', parsed.tagOrDigest]];
  const auth = new ContainerdAuthState();
  const fail = (err: string, errorClass: ErrorClass | null, notes: string[] = []) => {
    const error = resolveFailed(ref, err);
    return c.result({ ok: false, error, errorClass, notes: [...notes, ...printedNotes(ref, error)] });
  };
  if (resolving.length === 0) return fail('no resolve hosts: not found', 'not-found', [`no host may ${parsed.digest ? 'pull' : 'resolve'} this reference (capabilities)`]);

  let first: { error: string; errorClass: ErrorClass } | null = null;
  let index = 0;
  for (const parts of paths) {
    for (const source of resolving) {
      const ep = source.containerd!;
      emit({ type: 'attempt-start', image, index, at: at(), reference: source.reference, location: source.location, mirror: source.mirror, insecure: source.insecure });
      const steps: AttemptStep[] = [];
      const started = performance.now();
      const timer = new AttemptDeadline(options.attemptTimeoutMs ?? 30_000, signal);
      let outcome: ResolveStep;
      try {
        outcome = await resolveOnHost(ep, repo, parts, parsed.digest, ref, requestContext(options, scope, timer.signal, steps, auth));
      } finally {
        timer.dispose();
      }
      const base = { type: 'attempt' as const, image, index, reference: source.reference, location: source.location, mirror: source.mirror, insecure: source.insecure, at: at(), durationMs: Math.round((performance.now() - started) * 10) / 10, steps };
      if (outcome.kind === 'resolved') {
        emit({ ...base, outcome: 'ok', error: null, errorClass: null, httpStatus: 200 });
        return afterResolve(c, source, index, outcome.desc, allHosts, repo, scope, auth);
      }
      const ev: AttemptEvent =
        outcome.kind === 'not-found'
          ? { ...base, outcome: 'failed', error: outcome.error, errorClass: 'not-found', httpStatus: 404, notes: ['404: containerd tries the next host and never reports a 404 while another error is known'] }
          : { ...base, outcome: 'failed', error: outcome.error, errorClass: outcome.errorClass, httpStatus: outcome.status, ...(outcome.kind === 'stop' ? { notes: ['containerd stops the pull here: the remaining hosts are not tried'] } : {}) };
      emit(ev);
      index++;
      if (outcome.kind === 'stop') return fail(outcome.error, outcome.errorClass);
      if (outcome.kind === 'next') first ??= { error: outcome.error, errorClass: outcome.errorClass };
    }
  }
  if (first) return fail(first.error, first.errorClass);
  return fail(`${ref}: not found`, 'not-found', ['every host answered 404']);
}

/** After resolve: the manifest (and the platform's manifest, and blobs with --check-blobs) by walking all hosts. */
async function afterResolve(c: Ctx, source: PullSource, index: number, desc: ContainerdDescriptor, hosts: ContainerdEndpoint[], repo: string, scope: string, auth: ContainerdAuthState): Promise<ResultEvent> {
  const { options, signal } = c;
  const ref = c.resolution.normalized!;
  const steps: AttemptStep[] = [];
  const notes: string[] = [];
  const rctx = requestContext(options, scope, signal, steps, auth);
  const done = (fields: Partial<ResultEvent> & { ok: boolean; error: string | null; errorClass: ErrorClass | null }) =>
    c.result({ source: source.reference, sourceIndex: index, digest: desc.digest, mediaType: desc.mediaType || null, ...fields, ...(fields.ok ? (notes.length ? { notes } : {}) : { notes: [...notes, 'containerd does not go back to resolving after this: the pull fails here', ...printedNotes(ref, fields.error!)] }) } as never);
  const top = await fetchWalk(hosts, repo, desc, rctx);
  if ('error' in top) return done({ ok: false, error: copyError(top.error), errorClass: top.errorClass });
  if (top.host !== source.containerd) notes.push(`manifest ${desc.digest} served by ${top.host.host} (containerd walks every host from the first)`);
  const bad = commitCheck(desc, top.body);
  if (bad) return done({ ok: false, error: bad, errorClass: 'digest-mismatch' });
  const parsedTop = parseManifestAsRuntime(top.body, desc.mediaType);
  if (parsedTop.error !== null) return done({ ok: false, error: parsedTop.error, errorClass: 'other' });
  let imageBody = top.body;
  const extra: Partial<ResultEvent> = {};
  if (parsedTop.isList) {
    const want = options.platform ?? hostPlatform();
    extra.platform = formatPlatform(want);
    let entry;
    try {
      entry = chooseInstance(top.body, desc.mediaType, want);
    } catch (err) {
      return done({ ok: false, error: (err as Error).message, errorClass: 'not-found', ...extra });
    }
    const child: ContainerdDescriptor = { digest: entry.digest, mediaType: entry.mediaType ?? 'application/vnd.oci.image.manifest.v1+json', size: entry.size ?? -1 };
    const got = await fetchWalk(hosts, repo, child, rctx);
    if ('error' in got) return done({ ok: false, error: copyError(got.error), errorClass: got.errorClass, ...extra });
    const childBad = commitCheck(child, got.body);
    if (childBad) return done({ ok: false, error: childBad, errorClass: 'digest-mismatch', ...extra });
    extra.instanceDigest = child.digest;
    extra.instanceMediaType = child.mediaType;
    imageBody = got.body;
  }
  if (options.checkBlobs) {
    let blobs;
    try {
      blobs = imageBlobs(imageBody);
    } catch {
      return done({ ok: false, error: `the manifest of ${ref} is not valid JSON`, errorClass: 'other', ...extra });
    }
    const missing: string[] = [];
    for (const b of blobs) {
      // pullpath HEADs each blob on the hosts in containerd's order (containerd GETs it): presence, not bytes.
      const r = await fetchWalk(hosts, repo, { digest: b.digest, mediaType: 'application/octet-stream', size: 0 }, rctx, 'HEAD');
      if ('error' in r) missing.push(b.digest);
    }
    extra.missingBlobs = missing;
    notes.push(`${blobs.length - missing.length} of ${blobs.length} blobs present on the hosts (HEAD, in containerd's host order)`);
    if (missing.length > 0) return done({ ok: false, error: `could not fetch content descriptor ${missing[0]} (application/octet-stream) from remote: not found`, errorClass: 'not-found', missingBlobs: missing, ...extra });
  }
  return done({ ok: true, error: null, errorClass: null, ...extra });
}
