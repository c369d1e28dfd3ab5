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

/**
 * Go's encoding/json wording for bytes that are not JSON, which is what the runtime reports when a chosen
 * source serves a manifest it cannot parse (an unknown Content-Type is read as schema1 and unmarshalled).
 */
export function manifestJsonError(body: Buffer): string | null {
  try {
    JSON.parse(body.toString('utf8'));
    return null;
  } catch {
    let i = 0;
    while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++;
    const c = body[i];
    if (c === undefined) return 'unexpected end of JSON input';
    if (!'{["-0123456789tfn'.includes(String.fromCharCode(c))) return `invalid character ${goQuoteChar(c)} looking for beginning of value`;
    return 'unexpected end of JSON input';
  }
}

/** Go's json `quoteChar`: the byte read as a rune (U+0000–U+00FF), quoted as strconv.Quote would. */
function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const escapes: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (escapes[c] !== undefined) return `'${escapes[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && c <= 0xa0) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
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
  const unparsable = manifestJsonError(top.body);
  if (unparsable !== null) {
    notes.push(`the manifest received (${top.mediaType || 'no Content-Type'}, ${top.body.length} bytes) is not JSON${looksLikeHtml(top.mediaType, top.body) ? ': an HTML page (a captive portal or a login proxy?)' : ''}`);
    return failed(unparsable, looksLikeHtml(top.mediaType, top.body) ? 'not-a-registry' : 'other', notes, steps);
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
    const instanceUnparsable = manifestJsonError(image.body);
    if (instanceUnparsable !== null) return failed(instanceUnparsable, looksLikeHtml(image.mediaType, image.body) ? 'not-a-registry' : 'other', notes, steps, result);
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
