/**
 * One probe of one endpoint, in the three steps a health check needs (research prober-peers §1.1, §6.2):
 *  1. ping: `GET /v2/` answers 200 or 401, says `Docker-Distribution-API-Version`, and is not an HTML
 *     page (stricter than the runtime, which accepts any 200: a captive portal must not pass).
 *  2. manifest: `HEAD` of the canary with the full Accept list; the announced digest must equal the
 *     canary's digest (by-digest canaries) and the Content-Type must be a manifest type.
 *  3. blob (optional): GET the canary manifest (its bytes must hash to the canary digest), then read the
 *     first byte of its config blob with a ranged GET (`Range: bytes=0-0`; 206 or 200 pass, and the step
 *     says whether the Range was honoured).
 * All network work goes through the registry client; a step that fails stops the probe.
 */
import type { RegistryClient } from '../registry/client.ts';
import type { AttemptStep } from '../registry/step.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { chooseInstance, hostPlatform, imageBlobs, isIndexType, MANIFEST_ACCEPT } from '../registry/manifest.ts';
import { tryParse } from '../reference/index.ts';
import type { ErrorClass } from '../pull/events.ts';
import type { ProbeEndpoint, ProbeOutcome, ProbeStep, ProbeStepName } from './probe-types.ts';

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
  const signal = opts.signal ? AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), opts.signal]) : AbortSignal.timeout(opts.timeoutMs);
  const steps: ProbeStep[] = [];
  const done = (): ProbeOutcome => ({ endpoint: ep.location, atMs: opts.now(), ok: steps.every((s) => s.ok), steps });
  const canary = ep.canary ? tryParse(ep.canary) : null;
  const repository = canary?.ok ? canary.ref.name() : ep.location;

  // 1. ping
  let started = performance.now();
  let raw: AttemptStep[] = [];
  let session;
  try {
    session = await opts.client.ping(ep.host, { insecure: ep.insecure, repository, signal, steps: raw });
    let s = fold('ping', raw, started, null);
    const notes = s.detail ?? '';
    if (/HTML page/i.test(notes)) s = fail(s, 'not-a-registry', 'GET /v2/ answered with an HTML page: a web page or proxy login, not a registry');
    else if (/no Docker-Distribution-API-Version/i.test(notes)) s = fail(s, 'not-a-registry', 'GET /v2/ answered without a Docker-Distribution-API-Version header: not a registry (or a proxy in front of one)');
    steps.push(s);
  } catch (err) {
    steps.push(fold('ping', raw, started, err));
  }
  if (!session || !steps.at(-1)!.ok || !canary?.ok) return done();

  // 2. HEAD of the canary manifest
  const ref = canary.ref;
  const path = ref.path;
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  started = performance.now();
  raw = [];
  try {
    const head = await opts.client.headManifest(session, path, tagOrDigest, { signal, steps: raw });
    let s = fold('manifest', raw, started, null);
    s.digest = head.digest;
    if (!head.present) s = fail(s, s.errorClass ?? (head.status === 404 ? 'not-found' : 'http-error'), `HEAD ${ep.canary}: HTTP ${head.status}`);
    else if (head.mediaType && !MANIFEST_ACCEPT.includes(head.mediaType)) {
      s = fail(s, /html/i.test(head.mediaType) ? 'not-a-registry' : 'http-error', `HEAD ${ep.canary}: Content-Type ${head.mediaType} is not a manifest type`);
    } else if (ref.digest && head.digest && head.digest !== ref.digest) {
      s = fail(s, 'digest-mismatch', `HEAD ${ep.canary}: announced ${head.digest}, expected ${ref.digest}`);
    } else if (!head.digest) s.detail = [s.detail, 'no Docker-Content-Digest header'].filter(Boolean).join('; ');
    steps.push(s);
  } catch (err) {
    steps.push(fold('manifest', raw, started, err));
  }
  if (!steps.at(-1)!.ok || !opts.checkBlob) return done();

  // 3. the config blob of the canary (through an index to the host platform's instance)
  started = performance.now();
  raw = [];
  try {
    let m = await opts.client.getManifest(session, path, tagOrDigest, { signal, steps: raw });
    // HEAD cannot show corrupt bytes: hash what GET returns against the canary's digest.
    if (ref.digest && m.digest !== ref.digest) {
      steps.push(fail(fold('blob', raw, started, null), 'digest-mismatch', `GET ${ep.canary}: the bytes hash to ${m.digest}`));
      return done();
    }
    if (isIndexType(m.mediaType)) {
      const inst = chooseInstance(m.body, m.mediaType, hostPlatform());
      m = await opts.client.getManifest(session, path, inst.digest, { signal, steps: raw });
    }
    const blob = imageBlobs(m.body)[0];
    let s: ProbeStep;
    if (!blob) s = fail(fold('blob', raw, started, null), 'other', 'the canary manifest lists no blobs');
    else {
      const got = await opts.client.getBlobRange(session, path, blob.digest, { signal, steps: raw });
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
