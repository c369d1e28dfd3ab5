/**
 * One runtime attempt on one source (docker_image_src.go newImageSourceAttempt): blocked → fail at once,
 * without network; else ping, then GET the manifest. Success is exactly "ping answered 200/401 and the
 * manifest GET answered 200"; anything else is a failure that moves the loop on.
 */
import type { PullSource } from '../resolve/resolution.ts';
import type { AttemptEvent, AttemptStep, CredentialSource } from '../events/pull-events.ts';
import type { ManifestResult, Session } from '../registry/client.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { CredentialLookupError } from '../registry/credential-store.ts';
import { splitPhysicalRef, type PhysicalRef } from './physical-ref.ts';
import type { PullOptions } from './options.ts';
import { AttemptDeadline } from './attempt-deadline.ts';
import { announcedDigestMismatch } from '../registry/manifest.ts';
import { unwatchAbort, watchAbort } from '../registry/abort-watch.ts';

export interface AttemptOutcome {
  event: AttemptEvent;
  session: Session | null;
  manifest: ManifestResult | null;
  ref: PhysicalRef;
}

const RUNTIME_WAITS =
  'no answer within the attempt timeout. The runtime sets no response-header timeout (only a 30 s dial and a 10 s TLS-handshake timeout): ' +
  'a listener that accepts and never answers holds the pull until its caller gives up (skopeo --command-timeout, the kubelet/CRI-O pull deadline), and the next source is never tried';

const RUNTIME_WAITS_HELPER =
  'a credential helper did not answer within the attempt timeout. The runtime runs helpers without a timeout: it would wait for this one until its caller gives up (skopeo --command-timeout, the kubelet/CRI-O pull deadline), and the next source is never tried';

/**
 * The event's literal starts with named keys and ends with the spread: V8 (Node 20) gives every object that
 * *starts* with a spread and then adds keys a map of its own, which thousands of pulls in flight pay for.
 */
function attemptEvent(source: PullSource, index: number, image: string, rest: Omit<AttemptEvent, 'type' | 'image' | 'index' | 'reference' | 'location' | 'mirror' | 'insecure'>): AttemptEvent {
  return { type: 'attempt', image, index, reference: source.reference, location: source.location, mirror: source.mirror, insecure: source.insecure, ...rest };
}

/**
 * A warning when `Docker-Content-Digest` does not match the bytes received. The runtime ignores that header on
 * a manifest GET (docker_image_src.go ensureManifestIsLoaded: "We might validate manblob against the
 * Docker-Content-Digest header here") and only checks a digest *reference* against the bytes; so the attempt
 * succeeds, as in the runtime, and the lie stays visible.
 */
export function headerDigestLie(m: ManifestResult): string | null {
  const lie = announcedDigestMismatch(m.headerDigest, m.body, m.digest); // m.digest: the bytes' digest, already computed
  if (!lie) return null;
  return `warning: Docker-Content-Digest ${lie.announced} does not match the manifest received (${lie.actual}); the runtime ignores this header and pulls, but a cache or proxy on the way may be serving stale or altered bytes`;
}

export async function runAttempt(
  source: PullSource,
  index: number,
  image: string,
  opts: PullOptions,
  at: () => number,
  signal: AbortSignal | undefined,
  logicalHost: string | null = null,
): Promise<AttemptOutcome> {
  const ref = splitPhysicalRef(source.reference);
  const started = performance.now();
  const steps: AttemptStep[] = [];
  if (source.blocked) {
    return {
      event: attemptEvent(source, index, image, { at: at(), outcome: 'blocked', error: source.blockedError ?? `registry ${source.location} is blocked`, errorClass: 'blocked', httpStatus: null, durationMs: 0, steps }),
      session: null,
      manifest: null,
      ref,
    };
  }
  const timeoutMs = opts.attemptTimeoutMs ?? 30_000;
  const timer = new AttemptDeadline(timeoutMs, signal);
  const attemptSignal = timer.signal;
  const deadline = Date.now() + timeoutMs;
  const call = { signal: attemptSignal, deadline, steps };
  let session: Session | null = null;
  // Which credentials this attempt uses (or why none): looked up first, as newDockerClientFromRef does, and
  // reported in the event whatever happens next.
  let credentials: CredentialSource | undefined;
  try {
    const lookup = await untilAborted(opts.client.lookupCredentials(ref.name, { logicalHost }), attemptSignal);
    credentials = lookup.source;
    session = await opts.client.ping(ref.host, { signal: attemptSignal, deadline, steps, insecure: source.insecure, repository: ref.name, logicalHost, credentials: lookup });
    const manifest = await opts.client.getManifest(session, ref.path, ref.tagOrDigest, call);
    const lie = headerDigestLie(manifest);
    return {
      event: attemptEvent(source, index, image, { at: at(), outcome: 'ok', error: null, errorClass: null, httpStatus: 200, durationMs: Math.round((performance.now() - started) * 10) / 10, steps, ...(credentials ? { credentials } : {}), ...(lie ? { notes: [lie] } : {}) }),
      session,
      manifest,
      ref,
    };
  } catch (err) {
    let e =
      err instanceof RegistryError ? err : err instanceof CredentialLookupError ? new RegistryError(err.message, 'credentials') : new RegistryError(opts.client.redactor.text((err as Error).message ?? String(err)), 'other');
    // Stopped by the run (Ctrl-C, a closed output, q), not by this attempt's deadline nor an overall timeout:
    // whatever the step made of the abort, the attempt was cancelled, it did not fail.
    if (wasCancelled(signal, timer) && e.errorClass !== 'cancelled') e = new RegistryError(e.message, 'cancelled', e.httpStatus);
    const notes: string[] = [];
    if (e.errorClass === 'timeout' && timer.timedOut) notes.push(credentials === undefined && e.message.startsWith('getting username and password') ? RUNTIME_WAITS_HELPER : RUNTIME_WAITS);
    const lastStatus = [...steps].reverse().find((s) => s.httpStatus != null)?.httpStatus ?? null;
    return {
      event: attemptEvent(source, index, image, { at: at(), outcome: 'failed', error: e.message, errorClass: e.errorClass, httpStatus: e.httpStatus ?? lastStatus, durationMs: Math.round((performance.now() - started) * 10) / 10, steps, ...(credentials ? { credentials } : {}), ...(notes.length ? { notes } : {}) }),
      session,
      manifest: null,
      ref,
    };
  } finally {
    timer.dispose();
  }
}

/**
 * The credential lookup, given up when the attempt's deadline or the run's signal fires first (a hanging
 * credential helper: the runtime would wait for it forever). The helper itself is killed at its own timeout.
 */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(lookupAborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = { handleEvent: () => reject(lookupAborted()) };
    watchAbort(signal, onAbort);
    p.then(
      (v) => (unwatchAbort(signal, onAbort), resolve(v)),
      (e) => (unwatchAbort(signal, onAbort), reject(e)),
    );
  });
}

function lookupAborted(): RegistryError {
  return new RegistryError('getting username and password: no answer before the attempt deadline (a credential helper is still running; the runtime would wait for it)', 'timeout');
}

/** The caller's signal stopped the attempt with a reason other than a timeout (an overall deadline stays `timeout`). */
function wasCancelled(signal: AbortSignal | undefined, timer: AttemptDeadline): boolean {
  if (!signal?.aborted || timer.timedOut) return false;
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name !== 'TimeoutError';
}
