/**
 * Plain-text view of the pull event stream: per image, the plan's skipped mirrors, one line per attempt
 * (position, mirror/primary, reference, endpoint, outcome, HTTP status, time, error), then the verdict and
 * the runtime's final error verbatim (multi-line errors stay as the runtime prints them, so they can be
 * compared with skopeo's output). Events of one image are kept together: lines are released per image,
 * when its result arrives.
 */
import { describeDecision } from '../policy/judge-resolution.ts';
import type { AttemptEvent, ImageStartEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import { formatFixes, pullFixes } from './what-to-do.ts';
import { createImageBlockWriter, type ImageBlockWriter } from './image-blocks.ts';
import { refusalWords } from '../registry/credential-words.ts';

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

/**
 * `scheme://host[:port]` of a URL already in the WHATWG parser's canonical form (lower-case host, no default port):
 * what `new URL(u).origin` gives, without a parse per attempt line. Anything else: null (the caller parses).
 */
const CANONICAL_ORIGIN = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::([1-9][0-9]*))?\//;
/** A host whose last label is numeric is an IPv4 address to the parser (`127.1`, `0x7f.0.0.1`): only the dotted-quad form is canonical. */
const NUMERIC_LAST_LABEL = /(^|\.)(0x|[0-9])[^.]*\.?$/;
const CANONICAL_IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
function canonicalOrigin(url: string): string | null {
  const m = CANONICAL_ORIGIN.exec(url);
  if (!m) return null;
  if (!m[2]!.startsWith('[') && NUMERIC_LAST_LABEL.test(m[2]!) && !CANONICAL_IPV4.test(m[2]!)) return null;
  if (m[3] !== undefined && ((m[1] === 'https' && m[3] === '443') || (m[1] === 'http' && m[3] === '80'))) return null;
  return `${m[1]}://${m[2]}${m[3] !== undefined ? `:${m[3]}` : ''}`;
}

/** The endpoint actually spoken to: the origin of the last ping, else the reference's host. */
function endpointOf(a: AttemptEvent): string {
  const pings = a.steps.filter((s) => s.step === 'ping' && s.url);
  const last = pings[pings.length - 1];
  if (last?.url) {
    const fast = canonicalOrigin(last.url);
    if (fast !== null) return fast;
    try {
      return new URL(last.url).origin;
    } catch {
      /* fall through */
    }
  }
  return a.outcome === 'blocked' ? '(no request)' : a.reference.split('/')[0]!;
}

export function formatAttemptLine(a: AttemptEvent): string {
  const role = a.mirror ? 'mirror ' : 'primary';
  const status = a.httpStatus === null ? '-' : String(a.httpStatus);
  const fields = [`  ${String(a.index + 1).padStart(2)}. ${role}`, a.reference, endpointOf(a) + (a.insecure ? ' (insecure)' : ''), a.errorClass === 'cancelled' ? 'CANCELLED' : a.outcome.toUpperCase(), status, ms(a.durationMs)];
  let line = fields.join('  ');
  if (a.error) line += `\n      ${a.errorClass ?? 'error'}: ${a.error.replaceAll('\n', '\n      ')}`;
  // Which credentials this attempt used (file and key, helper, flag) or where none matched; for a 401/403, which case it is.
  if (a.credentials) line += `\n      credentials: ${a.credentials.text}`;
  const refusal = refusalWords(a);
  if (refusal) line += `\n      note: ${refusal}`;
  for (const n of a.credentials?.notes ?? []) line += `\n      note: ${n}`;
  for (const n of a.notes ?? []) line += `\n      note: ${n}`;
  return line;
}

function headerLines(start: ImageStartEvent | undefined, image: string): string[] {
  const lines = [image];
  if (!start) return lines;
  if (start.normalized && start.normalized !== image) lines.push(`  normalized: ${start.normalized}`);
  if (start.registry) lines.push(`  matched [[registry]] prefix "${start.registry.prefix}" (${start.registry.origin})`);
  for (const s of start.skipped) lines.push(`  skipped mirror ${s.location}: ${s.reason}`);
  return lines;
}

function verdictLines(r: ResultEvent): string[] {
  const lines: string[] = [];
  if (r.ok) {
    lines.push(`  PULLED from ${r.source} (source ${(r.sourceIndex ?? 0) + 1}) in ${ms(r.durationMs)}: ${r.digest ?? ''} ${r.mediaType ?? ''}`.trimEnd());
    if (r.platform) lines.push(`  platform ${r.platform}: ${r.instanceDigest ?? '?'} ${r.instanceMediaType ?? ''}`.trimEnd());
  } else {
    // A stopped run did not fail the image: say so, not FAILED (cancelled).
    if (r.errorClass === 'cancelled') lines.push(`  CANCELLED in ${ms(r.durationMs)}${r.source ? `, after choosing ${r.source}` : ''}`);
    else lines.push(`  FAILED${r.errorClass ? ` (${r.errorClass})` : ''} in ${ms(r.durationMs)}${r.source ? `, after choosing ${r.source}` : ''}`);
    if (r.missingBlobs && r.missingBlobs.length) lines.push(`  missing blobs: ${r.missingBlobs.join(', ')}`);
    lines.push('  error (as the runtime reports it):');
    lines.push(r.error ?? '');
  }
  if (r.policy) lines.push(`  policy (judged on the logical reference): ${describeDecision(r.policy)}`);
  lines.push(...signatureLines(r));
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  return lines;
}

/** The signature step: where signatures were looked for (only on the source that served the image) and each requirement. */
function signatureLines(r: ResultEvent): string[] {
  const s = r.signatures;
  if (!s) return [];
  const lines = [`  signatures: ${s.ok ? 'verified' : 'REJECTED'} (looked for on the source that served the image: ${s.lookedIn.join(', ') || 'nowhere'})`];
  for (const c of s.checks) {
    const what = c.ok ? 'ok' : `${c.errorClass ?? 'failed'}: ${c.error ?? ''}`;
    lines.push(`    ${c.requirement}: ${what}${c.detail && c.ok ? ` (${c.detail})` : ''}; ${c.signaturesFound} signature(s) found`);
  }
  return lines;
}

/** Renders the complete events of ONE image. */
export function renderImageText(events: readonly PullEvent[]): string {
  const start = events.find((e): e is ImageStartEvent => e.type === 'image');
  const image = start?.image ?? events[0]?.image ?? '';
  const lines = headerLines(start, image);
  if (start?.error) lines.push(`  resolution failed: no source is tried`);
  for (const e of events) if (e.type === 'attempt') lines.push(formatAttemptLine(e));
  const result = events.find((e): e is ResultEvent => e.type === 'result');
  if (result) {
    lines.push(...verdictLines(result));
    lines.push(...formatFixes(pullFixes(start, events.filter((e): e is AttemptEvent => e.type === 'attempt'), result)));
  }
  return lines.join('\n') + '\n';
}

/** The closing line: `2 of 3 images pulled`. */
export function formatPullSummary(results: readonly ResultEvent[]): string {
  const ok = results.filter((r) => r.ok).length;
  return `${ok} of ${results.length} image${results.length === 1 ? '' : 's'} pulled\n`;
}

/**
 * Groups a live event stream per image and calls `write` with each image's block once it is complete.
 * With `order` (the image labels in input order), blocks are released in that order; otherwise as they finish.
 * @example
 * const w = createPullTextWriter((s) => process.stdout.write(s), imageLabels(resolutions));
 * for await (const e of pullImages(resolutions, { client })) w.push(e);
 * w.end();
 */
export function createPullTextWriter(write: (text: string) => void, order?: readonly string[]): ImageBlockWriter {
  let first = true;
  const blocks = createImageBlockWriter(
    (block) => {
      write((first ? '' : '\n') + block);
      first = false;
    },
    (events, interrupted) => renderImageText(events) + (interrupted ? '  (interrupted)\n' : ''),
    order,
  );
  return {
    push: (e) => blocks.push(e),
    end() {
      const results = blocks.end();
      if (results.length > 1) write('\n' + formatPullSummary(results));
      return results;
    },
  };
}
