/**
 * What happens after a source was chosen. The runtime never fails over from here: per-platform manifests
 * and blobs come from the same source, and a failure fails the pull. pullpath also checks what the runtime
 * leaves to later stages (digest of a digest reference, parsing the manifest). Docker-Content-Digest is not
 * checked here: the runtime ignores it, and the attempt carries a note when it lies (attempt.ts).
 */
import pLimit from 'p-limit';
import type { ErrorClass } from '../registry/error-class.ts';
import type { AttemptStep } from '../registry/step.ts';
import type { ManifestResult, Session } from '../registry/client.ts';
import { RegistryError } from '../registry/registry-error.ts';
import { chooseInstance, formatPlatform, hostPlatform, imageBlobs } from '../registry/manifest.ts';
import { GO_JSON_MAX_DEPTH, goJsonError } from '../registry/go-json.ts';
import { parseManifestAsRuntime, type ParsedManifest } from '../registry/manifest-parse.ts';
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

/**
 * Go's encoding/json wording for bytes that are not JSON (what the runtime reports when a chosen source serves
 * a manifest it cannot parse), or null for valid JSON.
 */
export function manifestJsonError(body: Buffer): string | null {
  return goJsonError(body);
}

/**
 * The runtime's parse of a chosen manifest (image.FromUnparsedImage): Go's error and a class, or null.
 * HTML is a portal or a login proxy (not-a-registry); anything else the runtime cannot read is `other`.
 */
function unreadable(m: ManifestResult, parsed: ParsedManifest, notes: string[]): { error: string; errorClass: ErrorClass } | null {
  if (parsed.error === null) return null;
  const html = looksLikeHtml(m.mediaType, m.body);
  const syntax = goJsonError(m.body);
  const what =
    syntax === null
      ? `is not a manifest the runtime can read (parsed as ${parsed.mimeType})`
      : syntax.endsWith('exceeded max depth')
        ? `nests deeper than Go's JSON decoder allows (${GO_JSON_MAX_DEPTH} levels)`
        : 'is not JSON';
  notes.push(`the manifest received (${m.mediaType || 'no Content-Type'}, ${m.body.length} bytes) ${what}${html ? ': an HTML page (a captive portal or a login proxy?)' : ''}`);
  return { error: parsed.error, errorClass: html ? 'not-a-registry' : 'other' };
}

function looksLikeHtml(mediaType: string, body: Buffer): boolean {
  return /html/i.test(mediaType) || /^\s*</.test(body.subarray(0, 64).toString('utf8'));
}

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
  const topParsed = parseManifestAsRuntime(top.body, top.mediaType);
  const bad = unreadable(top, topParsed, notes);
  if (bad) return failed(bad.error, bad.errorClass, notes, steps);
  let image = top;
  const result: Partial<ChosenOutcome> = {};
  if (topParsed.isList) {
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
    const instanceBad = unreadable(image, parseManifestAsRuntime(image.body, image.mediaType), notes);
    if (instanceBad) return failed(instanceBad.error, instanceBad.errorClass, notes, steps, result);
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
