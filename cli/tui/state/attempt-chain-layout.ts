/**
 * The details under the selected image: the matched `[[registry]]` entry with its origin,
 * each attempt (index, mirror or primary, reference, endpoint, outcome, HTTP status, time,
 * failed step, the runtime's error), skipped mirrors with reasons, and the verdict.
 * Pure; returns exact lines so the list can be windowed around them.
 */
import { formatMs } from '../format/numbers.ts';
import { cell, endEllipsis, middleEllipsis, oneLine, wrapText } from '../format/text.ts';
import type { Line, Tone } from './line.ts';
import type { AttemptView, ImageView } from './pull-state.ts';

export interface ChainContext {
  width: number;
  /** Show errors wrapped in full rather than on one shortened line. */
  fullError: boolean;
}

const INDENT = '    ';
const DETAIL = '      ↳ ';
/** From this width the endpoint gets its own column instead of the line under the attempt. */
export const WIDE = 120;

interface Columns {
  ref: number;
  endpoint: number;
}

function columns(width: number): Columns {
  const flexible = Math.max(12, width - 45);
  if (width < WIDE) return { ref: flexible, endpoint: 0 };
  const endpoint = Math.floor(flexible * 0.35);
  return { ref: flexible - endpoint - 1, endpoint };
}

export function attemptChainLines(img: ImageView, ctx: ChainContext): Line[] {
  const lines: Line[] = [];
  const text = (t: string, tone: Tone = 'dim'): Line => [{ text: endEllipsis(t, ctx.width), tone }];
  lines.push(...matchedLines(img, ctx));
  if (img.resolutionError !== null) {
    lines.push(...errorLines(`${INDENT}resolve: `, img.resolutionError, ctx, 'fail'));
    return lines;
  }
  const cols = columns(ctx.width);
  if (img.attempts.length > 0) lines.push(headerLine(cols));
  for (const a of img.attempts) lines.push(...attemptLines(a, cols, ctx));
  if (img.attempts.length === 0 && img.planned > 0) lines.push(text(`${INDENT}${img.planned} source(s) planned, none tried yet`));
  for (const s of img.skipped) {
    const origin = s.origin ? ` (${s.origin})` : '';
    lines.push(...errorLines(`${INDENT}skipped ${s.location}: `, `${s.reason}${origin}`, ctx, 'warn'));
  }
  lines.push(...resultLines(img, ctx));
  return lines;
}

function matchedLines(img: ImageView, ctx: ChainContext): Line[] {
  const out: Line[] = [];
  if (img.normalized !== null && img.normalized !== img.image) {
    out.push([{ text: `${INDENT}normalized ${middleEllipsis(img.normalized, ctx.width - 15)}`, tone: 'dim' }]);
  }
  const r = img.registry;
  if (r === null) {
    if (img.resolutionError === null) out.push([{ text: endEllipsis(`${INDENT}no [[registry]] entry matched: pulled as is`, ctx.width), tone: 'dim' }]);
    return out;
  }
  const flags = [r.blocked ? 'blocked' : '', r.insecure ? 'insecure' : '', r.mirrorByDigestOnly ? 'mirror-by-digest-only' : '']
    .filter((f) => f !== '')
    .join(', ');
  const head = `${INDENT}matched [[registry]] "${r.prefix}"${r.location !== r.prefix && r.location !== '' ? ` → ${r.location}` : ''}`;
  const tail = `${flags ? ` [${flags}]` : ''} at ${r.origin}`;
  if (head.length + tail.length <= ctx.width) {
    out.push([{ text: head + tail, tone: 'accent' }]);
  } else {
    // The origin (file:line) is the part people act on: keep it whole, shorten the entry instead.
    const origin = ` at ${middleEllipsis(r.origin, ctx.width - INDENT.length - 4)}`;
    out.push([{ text: endEllipsis(head + (flags ? ` [${flags}]` : ''), ctx.width), tone: 'accent' }]);
    out.push([{ text: `${INDENT}${origin.trim()}`, tone: 'accent' }]);
  }
  return out;
}

function headerLine(cols: Columns): Line {
  const endpoint = cols.endpoint > 0 ? ` ${cell('endpoint', cols.endpoint)}` : '';
  return [
    {
      text: `${INDENT}${cell('#', 3)}${cell('source', 8)}${cell('reference', cols.ref)}${endpoint} ${cell('outcome', 8)}${cell('HTTP', 4, 'right')} ${cell('time', 6, 'right')} step`,
      tone: 'dim',
    },
  ];
}

function outcomeTone(a: AttemptView): Tone {
  return a.outcome === 'ok' ? 'ok' : a.outcome === 'trying' ? 'accent' : 'fail';
}

function endpointText(a: AttemptView): string {
  const where = a.location === '' ? '(reference as is)' : a.location;
  return a.insecure ? `${where} (insecure)` : where;
}

function attemptLines(a: AttemptView, cols: Columns, ctx: ChainContext): Line[] {
  const endpoint = cols.endpoint > 0 ? ` ${cell(endpointText(a), cols.endpoint)}` : '';
  const status = a.httpStatus === null ? '' : String(a.httpStatus);
  const time = a.outcome === 'trying' ? '…' : formatMs(a.durationMs);
  const step = a.outcome === 'trying' ? '' : a.failedStep ?? '';
  const main: Line = [
    { text: `${INDENT}${cell(`${a.index + 1}`, 3)}${cell(a.mirror ? 'mirror' : 'primary', 8)}` },
    { text: cell(a.reference, cols.ref) },
    { text: endpoint, tone: 'dim' },
    { text: ' ' },
    { text: cell(a.outcome, 8), tone: outcomeTone(a) },
    { text: `${cell(status, 4, 'right')} ${cell(time, 6, 'right')} ${step}` },
  ];
  const out: Line[] = [main];
  if (cols.endpoint === 0) {
    const via = `${DETAIL}via ${endpointText(a)}`;
    if (a.error === null) out.push([{ text: endEllipsis(via, ctx.width), tone: 'dim' }]);
    else out.push(...errorLines(`${via}: `, a.error, ctx, 'fail'));
  } else if (a.error !== null) {
    out.push(...errorLines(DETAIL, a.error, ctx, 'fail'));
  }
  for (const w of a.warnings ?? []) out.push(...errorLines(DETAIL, w, ctx, 'warn'));
  return out;
}

/**
 * An error after a prefix: one line shortened with `…` (press e for the rest), or, with
 * fullError, the whole text wrapped under the prefix.
 */
function errorLines(prefix: string, error: string, ctx: ChainContext, tone: Tone): Line[] {
  if (!ctx.fullError) {
    return [[{ text: endEllipsis(prefix + oneLine(error), ctx.width), tone }]];
  }
  const pad = ' '.repeat(Math.min(prefix.length, 8));
  const first = wrapText(prefix + error, ctx.width);
  const [head, ...rest] = first;
  const tail = wrapText(rest.join(' '), ctx.width - pad.length).filter((l) => l !== '');
  return [[{ text: head ?? '', tone }], ...tail.map((l): Line => [{ text: pad + l, tone }])];
}

function resultLines(img: ImageView, ctx: ChainContext): Line[] {
  const r = img.result;
  if (r === null) return [];
  const out: Line[] = [];
  if (r.source !== null && r.error === null) {
    const by = r.sourceIndex !== null ? ` (source ${r.sourceIndex + 1})` : '';
    const head = `${INDENT}→ pulled from `;
    out.push([{ text: head + middleEllipsis(r.source, ctx.width - head.length - by.length) + by, tone: 'ok' }]);
    if (r.digest) out.push([{ text: `${INDENT}  ${middleEllipsis(r.digest, ctx.width - INDENT.length - 2)}`, tone: 'dim' }]);
  } else if (r.error !== null) {
    out.push(...errorLines(`${INDENT}→ `, r.error, ctx, 'fail'));
  }
  if (r.missingBlobs !== undefined && r.missingBlobs.length > 0) {
    const list = r.missingBlobs.map((d) => middleEllipsis(d, 19)).join(', ');
    out.push(...errorLines(`${INDENT}missing blobs (${r.missingBlobs.length}): `, list, ctx, 'fail'));
  }
  if (r.policy !== undefined) {
    const verdict = r.policy.allowed === null ? 'not evaluated' : r.policy.allowed ? 'allowed' : 'rejected';
    out.push(...errorLines(`${INDENT}policy ${verdict} (${r.policy.scope}): `, r.policy.message, ctx, r.policy.allowed === false ? 'fail' : 'dim'));
  }
  // The signature step: read only from the source that served the image.
  if (r.signatures !== undefined) {
    const s = r.signatures;
    out.push(...errorLines(`${INDENT}signatures ${s.ok ? 'verified' : 'REJECTED'}: `, `looked for in ${s.lookedIn.join(', ') || 'nowhere'}`, ctx, s.ok ? 'ok' : 'fail'));
    for (const c of s.checks) out.push(...errorLines(`${INDENT}  ${c.requirement}: `, c.ok ? `ok, ${c.signaturesFound} signature(s)` : `${c.errorClass ?? 'failed'}: ${c.error ?? ''}`, ctx, c.ok ? 'dim' : 'fail'));
  }
  return out;
}
