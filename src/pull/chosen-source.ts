/**
 * What happens after a source was chosen. The runtime never fails over from here: per-platform manifests
 * and blobs come from the same source, and a failure fails the pull. pullpath also checks what the runtime
 * leaves to later stages (digest of a digest reference) or does not check at all (Docker-Content-Digest).
 */
import pLimit from 'p-limit';
import type { ErrorClass } from '../registry/error-class.ts';
import type { AttemptStep } from '../registry/step.ts';
import type { ManifestResult, Session } from '../registry/client.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { chooseInstance, digestLike, formatPlatform, hostPlatform, imageBlobs, isIndexType } from '../registry/manifest.ts';
import type { PhysicalRef } from './physical-ref.ts';
import type { PullOptions } from './options.ts';

export interface ChosenOutcome {
  ok: boolean;
  error: string | null;
  errorClass: ErrorClass | null;
  platform?: string;
  instanceDigest?: string | null;
  instanceMediaType?: string | null;
  missingBlobs?: string[];
  notes: string[];
  steps: AttemptStep[];
}

const NO_FAILOVER = 'the runtime chose this source (its manifest GET answered 200) and does not fail over after that: the pull fails here';

function failed(error: string, errorClass: ErrorClass, notes: string[], steps: AttemptStep[], extra: Partial<ChosenOutcome> = {}): ChosenOutcome {
  return { ok: false, error, errorClass, notes: [...notes, NO_FAILOVER], steps, ...extra };
}

export async function afterChoice(
  session: Session,
  ref: PhysicalRef,
  top: ManifestResult,
  opts: PullOptions,
  signal: AbortSignal | undefined,
): Promise<ChosenOutcome> {
  const notes: string[] = [];
  const steps: AttemptStep[] = [];
  const call = { ...(signal ? { signal } : {}), steps };
  if (ref.digest && top.digest !== ref.digest) {
    return failed(`Manifest does not match provided manifest digest ${ref.digest}`, 'digest-mismatch', notes, steps);
  }
  if (top.headerDigest && /^[a-z0-9]+:/.test(top.headerDigest)) {
    const actual = digestLike(top.headerDigest, top.body);
    if (actual !== top.headerDigest) {
      notes.push('pullpath checks Docker-Content-Digest against the bytes received; the runtime does not');
      return failed(`Docker-Content-Digest ${top.headerDigest} does not match the manifest received (${actual})`, 'digest-mismatch', notes, steps);
    }
  }
  let image = top;
  const result: Partial<ChosenOutcome> = {};
  if (isIndexType(top.mediaType)) {
    const want = opts.platform ?? hostPlatform();
    result.platform = formatPlatform(want);
    let entry;
    try {
      entry = chooseInstance(top.body, top.mediaType, want);
    } catch (err) {
      return failed((err as Error).message, 'not-found', notes, steps, result);
    }
    try {
      image = await opts.client.getManifest(session, ref.path, entry.digest, call);
    } catch (err) {
      const e = err as RegistryError;
      return failed(e.message, e.errorClass ?? 'other', notes, steps, result);
    }
    result.instanceDigest = image.digest;
    result.instanceMediaType = image.mediaType;
    if (image.digest !== entry.digest) {
      return failed(`Image manifest does not match selected manifest digest ${entry.digest}`, 'digest-mismatch', notes, steps, result);
    }
  }
  if (opts.checkBlobs) {
    let blobs;
    try {
      blobs = imageBlobs(image.body);
    } catch {
      return failed(`the manifest of ${ref.name} is not valid JSON`, 'other', notes, steps, result);
    }
    const limit = pLimit(4);
    const checks = await Promise.all(
      blobs.map((b) =>
        limit(async () => {
          try {
            return { b, present: (await opts.client.headBlob(session, ref.path, b.digest, call)).present, error: null as string | null };
          } catch (err) {
            return { b, present: false, error: (err as Error).message };
          }
        }),
      ),
    );
    const missing = checks.filter((c) => !c.present).map((c) => c.b.digest);
    result.missingBlobs = missing;
    notes.push(`${blobs.length - missing.length} of ${blobs.length} blobs present on ${ref.host}`);
    if (missing.length > 0) {
      return failed(`${missing.length} of ${blobs.length} blobs missing in ${ref.name}: ${missing.join(', ')}`, 'not-found', notes, steps, result);
    }
  }
  return { ok: true, error: null, errorClass: null, notes, steps, ...result };
}
