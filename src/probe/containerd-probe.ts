/**
 * One probe of a containerd host, asking what containerd asks (src/registry/containerd-request.ts):
 *  1. ping: `GET {path}/` (containerd itself never pings: this only tells "something registry-like answers here";
 *     200 or 401 pass);
 *  2. manifest (with a canary): the resolve containerd does (HEAD `…/manifests/TAG` with its Accept header,
 *     `?ns=`, token auth, its retries), then the fetch by digest (GET `…/manifests/DIGEST`), whose bytes must
 *     hash to that digest;
 *  3. blob (optional): HEAD of the canary's config blob on this host.
 */
import { AttemptDeadline } from '../pull/attempt-deadline.ts';
import type { AttemptStep } from '../registry/step.ts';
import type { ErrorClass } from '../events/pull-events.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { header } from '../registry/transport.ts';
import { CONTAINERD_RESOLVE_ACCEPT, ContainerdAuthState, containerdRequest, type ContainerdRequestContext } from '../registry/containerd-request.ts';
import { chooseInstance, hostPlatform, imageBlobs, isIndexType, sha256Digest } from '../registry/manifest.ts';
import { parseManifestAsRuntime } from '../registry/manifest-parse.ts';
import { splitPhysicalRef } from '../pull/physical-ref.ts';
import { fetchStatusError, hostStatusError } from '../pull/containerd-errors.ts';
import type { ProbeOptions } from './probe-endpoint.ts';
import type { ProbeEndpoint, ProbeOutcome, ProbeStep, ProbeStepName } from './probe-types.ts';

function step(name: ProbeStepName, started: number, raw: AttemptStep[], ok: boolean, errorClass: ErrorClass | null, error: string | null, status: number | null): ProbeStep {
  const detail = raw.map((s) => [s.method, s.url, s.httpStatus ?? '', s.detail ?? ''].join(' ').trim()).join('; ');
  return { step: name, ok, durationMs: performance.now() - started, httpStatus: status ?? raw.at(-1)?.httpStatus ?? null, errorClass, error, ...(detail ? { detail } : {}) };
}

export async function probeContainerdEndpoint(ep: ProbeEndpoint, opts: ProbeOptions): Promise<ProbeOutcome> {
  // One deadline the probe holds strongly (see probe-endpoint.ts: AbortSignal.any on Node 20 can lose its timeout).
  const deadlineSignal = new AttemptDeadline(opts.timeoutMs, opts.signal);
  try {
    return await probeContainerdWithin(ep, opts, deadlineSignal.signal);
  } finally {
    deadlineSignal.dispose();
  }
}

async function probeContainerdWithin(ep: ProbeEndpoint, opts: ProbeOptions, signal: AbortSignal): Promise<ProbeOutcome> {
  const host = ep.containerd!;
  const steps: ProbeStep[] = [];
  const done = (): ProbeOutcome => ({ endpoint: ep.location, atMs: opts.now(), ok: steps.every((s) => s.ok), steps });
  const canary = ep.canary ? splitPhysicalRef(ep.canary) : null;
  const auth = new ContainerdAuthState();
  const ctx = (raw: AttemptStep[]): ContainerdRequestContext => ({
    dispatchers: opts.client.dispatchers,
    auth,
    credentialsFor: async (h) => (await opts.client.credentialsFor?.(h)) ?? null,
    redactor: opts.client.redactor,
    scope: `repository:${canary?.path ?? 'pullpath/probe'}:pull`,
    signal,
    steps: raw,
  });
  const run = async (name: ProbeStepName, fn: (raw: AttemptStep[]) => Promise<{ ok: boolean; errorClass?: ErrorClass; error?: string; status?: number }>) => {
    const started = performance.now();
    const raw: AttemptStep[] = [];
    try {
      const r = await fn(raw);
      steps.push(step(name, started, raw, r.ok, r.ok ? null : (r.errorClass ?? 'other'), r.ok ? null : (r.error ?? `${name} failed`), r.status ?? null));
    } catch (err) {
      const e = err instanceof RegistryError ? err : new RegistryError((err as Error).message, 'other');
      steps.push(step(name, started, raw, false, signal.aborted && opts.signal?.aborted ? 'cancelled' : e.errorClass, e.message, e.httpStatus ?? null));
    }
    return steps.at(-1)!.ok;
  };

  // 1. ping
  const pinged = await run('ping', async (raw) => {
    const { res } = await containerdRequest(host, '', 'GET', ['/'], 'application/json', ctx(raw), { step: 'ping', maxBodyBytes: 64 * 1024 });
    return res.status === 200 || res.status === 401 ? { ok: true } : { ok: false, errorClass: res.status === 404 ? 'not-found' : res.status >= 500 ? 'server-error' : 'http-error', error: `GET ${host.path}/ answered ${res.status} (containerd itself never pings: see the manifest step)`, status: res.status };
  });
  if (!pinged || !canary) return done();

  // 2. resolve as containerd does, then the manifest by digest
  let body: Buffer | null = null;
  let mediaType = '';
  const resolved = await run('manifest', async (raw) => {
    const parts = ['manifests', canary.tagOrDigest];
    const head = await containerdRequest(host, canary.path, 'HEAD', parts, CONTAINERD_RESOLVE_ACCEPT, ctx(raw), { step: 'manifest' });
    if (head.res.status > 299) return { ok: false, errorClass: head.res.status === 404 ? 'not-found' : head.res.status === 429 ? 'rate-limited' : head.res.status >= 500 ? 'server-error' : 'http-error', error: hostStatusError(host.host, parts, head.res.status), status: head.res.status };
    const digest = canary.digest ?? header(head.res.headers, 'docker-content-digest') ?? null;
    mediaType = (header(head.res.headers, 'content-type') ?? '').split(';')[0]!;
    const get = await containerdRequest(host, canary.path, 'GET', ['manifests', digest ?? canary.tagOrDigest], `${mediaType || '*/*'}, */*`, ctx(raw), { step: 'manifest' });
    if (get.res.status > 299) return { ok: false, errorClass: get.res.status === 404 ? 'not-found' : get.res.status >= 500 ? 'server-error' : 'http-error', error: fetchStatusError(get.url, get.res.status, get.res.body), status: get.res.status };
    const got = sha256Digest(get.res.body);
    if (digest !== null && got !== digest) return { ok: false, errorClass: 'digest-mismatch', error: `manifest ${digest}: the bytes hash to ${got}` };
    const parsed = parseManifestAsRuntime(get.res.body, mediaType);
    if (parsed.error !== null) return { ok: false, errorClass: 'other', error: parsed.error };
    body = get.res.body;
    return { ok: true };
  });
  if (!resolved || !opts.checkBlob || body === null) return done();

  // 3. the config blob (through an index, the host platform's instance)
  await run('blob', async (raw) => {
    let m: Buffer = body!;
    if (isIndexType(mediaType)) {
      const inst = chooseInstance(m, mediaType, hostPlatform());
      const got = await containerdRequest(host, canary.path, 'GET', ['manifests', inst.digest], `${inst.mediaType}, */*`, ctx(raw), { step: 'manifest' });
      if (got.res.status > 299) return { ok: false, errorClass: 'not-found', error: fetchStatusError(got.url, got.res.status, got.res.body), status: got.res.status };
      m = got.res.body;
    }
    const blob = imageBlobs(m)[0];
    if (!blob) return { ok: false, errorClass: 'other', error: 'the canary manifest lists no blobs' };
    const { res, url } = await containerdRequest(host, canary.path, 'HEAD', ['blobs', blob.digest], 'application/octet-stream, */*', ctx(raw), { step: 'blobs' });
    return res.status < 300 ? { ok: true } : { ok: false, errorClass: res.status === 404 ? 'not-found' : 'http-error', error: fetchStatusError(url, res.status, res.body), status: res.status };
  });
  return done();
}
