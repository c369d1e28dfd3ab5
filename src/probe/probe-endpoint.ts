/**
 * One probe of one endpoint, in the three steps a health check needs (research prober-peers §1.1, §6.2):
 *  1. ping: `GET /v2/` answers 200 or 401, says `Docker-Distribution-API-Version`, and is not an HTML
 *     page (stricter than the runtime, which accepts any 200: a captive portal must not pass).
 *  2. manifest: `GET` of the canary as the runtime sends it (full Accept list, 4 MiB cap): the bytes must hash
 *     to the canary's digest (by-digest canaries), parse as the runtime parses them, and match the announced
 *     `Docker-Content-Digest` (stricter than the runtime, which ignores that header).
 *  3. blob (optional): read the first byte of the canary's config blob (through an index, the host platform's
 *     instance) with a ranged GET (`Range: bytes=0-0`; 206 or 200 pass, and the step says whether the Range
 *     was honoured).
 * All network work goes through the registry client; a step that fails stops the probe.
 */
import { AttemptDeadline } from '../pull/attempt-deadline.ts';
import type { ManifestResult, RegistryClient } from '../registry/client.ts';
import type { AttemptStep } from '../registry/step.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { announcedDigestMismatch, chooseInstance, hostPlatform, imageBlobs, isIndexType } from '../registry/manifest.ts';
import { parseManifestAsRuntime } from '../registry/manifest-parse.ts';
import { tryParse } from '../reference/index.ts';
import type { ErrorClass } from '../events/pull-events.ts';
import type { ProbeEndpoint, ProbeOutcome, ProbeStep, ProbeStepName } from './probe-types.ts';
import { probeContainerdEndpoint } from './containerd-probe.ts';

export interface ProbeOptions {
  client: RegistryClient;
  /** Deadline for the whole probe of one endpoint, ms. */
  timeoutMs: number;
  checkBlob: boolean;
  /** ms since the probe run started (stamped on the outcome). */
  now: () => number;
  /** The run's signal (Ctrl-C, a closed output): ends the probe at once, its step `cancelled`. */
  signal?: AbortSignal;
}

/** Folds the client's steps for one probe step (auth + request) into one ProbeStep. */
function fold(name: ProbeStepName, steps: AttemptStep[], started: number, err: unknown): ProbeStep {
  const last = steps.at(-1);
  // The last failing sub-step explains a failure; when the call returned, earlier failures were recovered
  // from (https → http fallback of an insecure endpoint) and the caller judges the answer itself.
  const failedStep = [...steps].reverse().find((s) => !s.ok);
  const e = err instanceof RegistryError ? err : null;
  const ok = err === null;
  const errorClass: ErrorClass | null = ok ? null : (e?.errorClass ?? failedStep?.errorClass ?? 'other');
  const detail = steps.map((s) => s.detail).filter(Boolean).join('; ');
  return {
    step: name,
    ok,
    durationMs: performance.now() - started,
    httpStatus: e?.httpStatus ?? last?.httpStatus ?? null,
    errorClass,
    error: ok ? null : (e?.message ?? failedStep?.error ?? (err instanceof Error ? err.message : err ? String(err) : `${name} failed`)),
    ...(detail ? { detail } : {}),
  };
}

const fail = (s: ProbeStep, errorClass: ErrorClass, error: string): ProbeStep => Object.assign({}, s, { ok: false, errorClass, error });

export async function probeEndpoint(ep: ProbeEndpoint, opts: ProbeOptions): Promise<ProbeOutcome> {
  // A containerd host (`--runtime containerd`): the requests containerd makes, not containers/image's.
  if (ep.containerd) return probeContainerdEndpoint(ep, opts);
  // Not AbortSignal.any([AbortSignal.timeout(ms), signal]): on Node 20 the composite holds the timeout signal only
  // weakly, so a GC could collect it and the deadline never fired (a probe of a hung TLS handshake never ended).
  const deadlineSignal = new AttemptDeadline(opts.timeoutMs, opts.signal);
  try {
    return await probeWithin(ep, opts, deadlineSignal.signal);
  } finally {
    deadlineSignal.dispose();
  }
}

async function probeWithin(ep: ProbeEndpoint, opts: ProbeOptions, signal: AbortSignal): Promise<ProbeOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  const steps: ProbeStep[] = [];
  const done = (): ProbeOutcome => ({ endpoint: ep.location, atMs: opts.now(), ok: steps.every((s) => s.ok), steps });
  const canary = ep.canary ? tryParse(ep.canary) : null;
  const repository = canary?.ok ? canary.ref.name() : ep.location;

  // 1. ping
  let started = performance.now();
  let raw: AttemptStep[] = [];
  let session;
  try {
    // --creds apply to the image's own host only: a mirror is judged against the host of the prefix it serves.
    const logicalHost = ep.role === 'mirror' ? (ep.prefixes[0]?.split('/')[0] ?? null) : ep.host;
    session = await opts.client.ping(ep.host, { insecure: ep.insecure, repository, signal, deadline, steps: raw, logicalHost });
    let s = fold('ping', raw, started, null);
    const notes = s.detail ?? '';
    if (/HTML page/i.test(notes)) s = fail(s, 'not-a-registry', 'GET /v2/ answered with an HTML page: a web page or proxy login, not a registry');
    else if (/no Docker-Distribution-API-Version/i.test(notes)) s = fail(s, 'not-a-registry', 'GET /v2/ answered without a Docker-Distribution-API-Version header: not a registry (or a proxy in front of one)');
    steps.push(s);
  } catch (err) {
    steps.push(fold('ping', raw, started, err));
  }
  if (!session || !steps.at(-1)!.ok || !canary?.ok) return done();

  // 2. GET of the canary manifest, as the runtime fetches it (full Accept list, 4 MiB cap, no HEAD: a HEAD can
  //    pass where the runtime's GET fails on an endless, huge or stalled body), then parsed as the runtime parses it.
  const ref = canary.ref;
  const path = ref.path;
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  // The probe's deadline bounds 429 retries too: a rate-limited endpoint is reported as such, not as a timeout.
  started = performance.now();
  raw = [];
  const call = { signal, deadline, steps: raw };
  let m: ManifestResult | null = null;
  try {
    m = await opts.client.getManifest(session, path, tagOrDigest, call);
    let s = fold('manifest', raw, started, null);
    s.digest = m.headerDigest ?? m.digest;
    const parsed = parseManifestAsRuntime(m.body, m.mediaType);
    const lie = announcedDigestMismatch(m.headerDigest, m.body);
    if (ref.digest && m.digest !== ref.digest) s = fail(s, 'digest-mismatch', `GET ${ep.canary}: the bytes hash to ${m.digest}`);
    else if (lie) {
      // The runtime ignores the header and would pull; a prober flags it: the mirror announces content it does not serve.
      s = fail(s, 'digest-mismatch', `GET ${ep.canary}: Docker-Content-Digest ${lie.announced} does not match the manifest received (${lie.actual})`);
      s.detail = [s.detail, 'the runtime ignores this header and would pull; tools that resolve tags by HEAD would get the wrong digest'].filter(Boolean).join('; ');
    } else if (parsed.error !== null) s = fail(s, /html/i.test(m.mediaType) ? 'not-a-registry' : 'other', `GET ${ep.canary}: ${parsed.error}`);
    else if (!m.headerDigest) s.detail = [s.detail, 'no Docker-Content-Digest header'].filter(Boolean).join('; ');
    steps.push(s);
  } catch (err) {
    steps.push(fold('manifest', raw, started, err));
  }
  if (!steps.at(-1)!.ok || !opts.checkBlob || !m) return done();

  // 3. the config blob of the canary (through an index to the host platform's instance)
  started = performance.now();
  raw = [];
  call.steps = raw;
  try {
    if (isIndexType(m.mediaType)) {
      const inst = chooseInstance(m.body, m.mediaType, hostPlatform());
      m = await opts.client.getManifest(session, path, inst.digest, call);
      if (m.digest !== inst.digest) {
        steps.push(fail(fold('blob', raw, started, null), 'digest-mismatch', `GET ${inst.digest}: the bytes hash to ${m.digest}`));
        return done();
      }
    }
    const blob = imageBlobs(m.body)[0];
    let s: ProbeStep;
    if (!blob) s = fail(fold('blob', raw, started, null), 'other', 'the canary manifest lists no blobs');
    else {
      const got = await opts.client.getBlobRange(session, path, blob.digest, call);
      // The real status: 206 when the registry honoured the Range, 200 when it ignored it (said in the detail).
      s = fold('blob', raw, started, null);
      if (!got.present) s = fail(s, s.errorClass ?? 'not-found', `blob ${blob.digest}: HTTP ${got.status}`);
      else if (got.digest && got.digest !== blob.digest) s = fail(s, 'digest-mismatch', `blob ${blob.digest}: announced ${got.digest}`);
    }
    steps.push(s);
  } catch (err) {
    steps.push(fold('blob', raw, started, err));
  }
  return done();
}
