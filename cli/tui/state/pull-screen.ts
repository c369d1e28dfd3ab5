/**
 * Lays out the whole pull/scenario screen for a terminal of `width` × `height`: header, the
 * visible window of image rows, the selected image's attempt chain, expectations, footer.
 * Pure: state + view + size in, lines out. Only the visible rows are laid out, so the cost
 * does not grow with the number of images beyond one filter pass.
 */
import type { ScenarioExpectation } from '../view-models.ts';
import { formatMs } from '../format/numbers.ts';
import { endEllipsis, oneLine, wrapText } from '../format/text.ts';
import { attemptChainLines } from './attempt-chain-layout.ts';
import { imageRowLine } from './image-row-layout.ts';
import { keyLegend } from './keys.ts';
import { spinnerFrame, type Line } from './line.ts';
import type { PullViewState } from './pull-state.ts';
import { selectedIndex, type ViewState } from './view-reducer.ts';
import { rowWindow } from './window.ts';

export type RunPhase = 'running' | 'done' | 'cancelling' | 'cancelled';

export interface ScreenContext {
  width: number;
  /** Lines available; the screen uses at most this many. */
  height: number;
  /** Engine-clock now, for the elapsed time of images in flight. */
  now: number;
  /** Wall time since the view started. */
  elapsedMs: number;
  tick: number;
  phase: RunPhase;
  title?: string;
  /** Keys can be read (stdin is a terminal); default true. */
  interactive?: boolean;
}

export interface PullScreen {
  header: Line;
  /** Hidden rows above / below the window (0 when none): rendered as "↑ N more" markers. */
  above: number;
  below: number;
  rows: { key: string; line: Line; selected: boolean }[];
  /** Attempt chain of the selected image (empty when folded), shown right under its row. */
  detail: Line[];
  /** Mirrors the resolution left out and why, wrapped (never cut): the reason a tag pull went to the source. */
  skipped: Line[];
  expectations: Line[];
  footer: Line[];
  /** The keys visible after the failure filter, for the view reducer. */
  keys: string[];
}

const MAX_EXPECTATIONS = 5;
/** Lines the skipped-mirror notes may take; more notes are counted on one line. */
const MAX_SKIP_LINES = 6;

/** The keys of the rows shown under the current filter. */
export function visibleImageKeys(state: PullViewState, view: ViewState): string[] {
  if (!view.failuresOnly) return state.order;
  return state.order.filter((k) => state.images.get(k)?.status === 'failed');
}

export function pullScreen(
  state: PullViewState,
  view: ViewState,
  expectations: readonly ScenarioExpectation[],
  ctx: ScreenContext,
): PullScreen {
  const keys = visibleImageKeys(state, view);
  const header = headerLine(state, view, keys.length, ctx);
  const footer = footerLines(state, view, ctx);
  const exp = expectationLines(expectations, ctx.width);
  const skipped = skippedLines(state, ctx.width, Math.min(MAX_SKIP_LINES, Math.max(1, ctx.height - 1 - footer.length - exp.length - 4)));
  const listHeight = Math.max(1, ctx.height - 1 - footer.length - exp.length - skipped.length);

  const sel = selectedIndex(view, keys);
  const selectedImage = sel >= 0 ? state.images.get(keys[sel]!) : undefined;
  let detail = view.expanded && selectedImage !== undefined ? attemptChainLines(selectedImage, { width: ctx.width, fullError: view.fullError }) : [];

  const fits = keys.length + detail.length <= listHeight;
  const markers = fits ? 0 : 2;
  const minRows = Math.min(keys.length, 3);
  const detailCap = Math.max(0, listHeight - markers - minRows);
  if (detail.length > detailCap) {
    const hidden = detail.length - (detailCap - 1);
    const marker: Line = [
      { text: endEllipsis(`    … ${hidden} more line(s): enlarge the terminal${view.fullError ? ' or press e for short errors' : ''}`, ctx.width), tone: 'warn' },
    ];
    detail = [...detail.slice(0, Math.max(0, detailCap - 1)), marker].slice(0, detailCap);
  }
  const capacity = Math.max(0, listHeight - markers - detail.length);
  const win = rowWindow(keys.length, sel, capacity);
  const rows: PullScreen['rows'] = [];
  for (let i = win.start; i < win.end; i++) {
    const key = keys[i]!;
    const img = state.images.get(key)!;
    const selected = i === sel;
    rows.push({ key, selected, line: imageRowLine(img, { width: ctx.width, selected, now: ctx.now, tick: ctx.tick }) });
  }
  if (rows.length === 0) {
    const empty = state.order.length === 0 ? 'waiting for the first image…' : 'no failed images (f shows all)';
    rows.push({ key: '', selected: false, line: [{ text: `  ${empty}`, tone: 'dim' }] });
  }
  return { header, above: win.above, below: win.below, rows, detail, skipped, expectations: exp, footer, keys };
}

function headerLine(state: PullViewState, view: ViewState, shown: number, ctx: ScreenContext): Line {
  const left = `pullpath${ctx.title ? ` · ${ctx.title}` : ''}`;
  const phase =
    ctx.phase === 'running' ? `${spinnerFrame(ctx.tick)} running` : ctx.phase === 'done' ? 'done' : ctx.phase;
  const filter = view.failuresOnly ? ` · failures only (${shown} of ${state.order.length})` : '';
  const right = `${phase}${filter}`;
  const room = Math.max(0, ctx.width - right.length - 1);
  const l = endEllipsis(left, room);
  return [
    { text: l, bold: true },
    { text: ' '.repeat(Math.max(1, ctx.width - l.length - right.length)) },
    { text: right, tone: ctx.phase === 'cancelled' || ctx.phase === 'cancelling' ? 'warn' : 'accent' },
  ];
}

function footerLines(state: PullViewState, view: ViewState, ctx: ScreenContext): Line[] {
  const t = state.totals;
  const flags = [view.expanded ? 'expanded' : '', view.fullError ? 'full errors' : ''].filter((f) => f !== '');
  const totals = fitParts(
    [
      `${formatMs(ctx.elapsedMs)} · ${t.images} image${t.images === 1 ? '' : 's'}: ${t.ok} ok, ${t.failed} failed, ${t.trying + t.pending} running`,
      `${t.attempts} attempts`,
      `${t.failedOver} failed over`,
      flags.length > 0 ? `[${flags.join(', ')}]` : '',
    ],
    ctx.width,
  );
  return [
    [{ text: totals, tone: t.failed > 0 ? 'fail' : 'normal' }],
    [{ text: endEllipsis(keyLegend(ctx.width, ctx.interactive !== false), ctx.width), tone: 'dim' }],
  ];
}

/**
 * One note per skipped mirror and reason: `! skipped LOCATION: REASON`, wrapped under itself so the reason is
 * read whole at any width. Notes that do not fit in `maxLines` are counted on a last line.
 */
export function skippedLines(state: PullViewState, width: number, maxLines: number): Line[] {
  if (state.skips.length === 0 || maxLines <= 0) return [];
  const several = state.order.length > 1;
  const notes = state.skips.map((n) => {
    const count = several ? ` (${n.images} of ${state.order.length} images)` : '';
    const first = wrapText(`! skipped ${n.location}${count}: ${n.reason}`, width);
    const [head, ...rest] = first;
    return [head ?? '', ...wrapText(rest.join(' '), width - 4).filter((l) => l !== '').map((l) => `    ${l}`)];
  });
  const lines: Line[] = [];
  let shown = 0;
  for (const note of notes) {
    const room = maxLines - lines.length - (shown + 1 < notes.length ? 1 : 0);
    if (note.length > room) break;
    for (const t of note) lines.push([{ text: t, tone: 'warn' }]);
    shown++;
  }
  if (shown < notes.length) {
    lines.push([{ text: endEllipsis(`! ${notes.length - shown} more skipped mirror(s) · enter on an image`, width), tone: 'warn' }]);
  }
  return lines;
}

/** Title plus up to five expectations, the unmet ones first (they are what needs reading). */
export function expectationLines(expectations: readonly ScenarioExpectation[], width: number): Line[] {
  if (expectations.length === 0) return [];
  const met = expectations.filter((e) => e.met === true).length;
  const failed = expectations.filter((e) => e.met === false).length;
  const ordered = [...expectations].sort((a, b) => rank(a) - rank(b));
  const shown = ordered.slice(0, expectations.length > MAX_EXPECTATIONS ? MAX_EXPECTATIONS - 1 : MAX_EXPECTATIONS);
  const lines: Line[] = [
    [{ text: endEllipsis(`expectations: ${met}/${expectations.length} met${failed > 0 ? `, ${failed} not met` : ''}`, width), bold: true, tone: failed > 0 ? 'fail' : met === expectations.length ? 'ok' : 'normal' }],
  ];
  for (const e of shown) {
    const icon = e.met === true ? '✓' : e.met === false ? '✗' : '·';
    const detail = e.detail ? ` — ${oneLine(e.detail)}` : '';
    lines.push([{ text: endEllipsis(`  ${icon} ${e.name}${detail}`, width), tone: e.met === true ? 'ok' : e.met === false ? 'fail' : 'dim' }]);
  }
  if (shown.length < expectations.length) {
    lines.push([{ text: `  … ${expectations.length - shown.length} more`, tone: 'dim' }]);
  }
  return lines;
}

function rank(e: ScenarioExpectation): number {
  return e.met === false ? 0 : e.met === null ? 1 : 2;
}

/** Joins parts with " · ", dropping whole trailing parts that do not fit rather than cutting one. */
export function fitParts(parts: readonly string[], width: number): string {
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    const next = out === '' ? p : `${out} · ${p}`;
    if (next.length > width) return out === '' ? endEllipsis(p, width) : out;
    out = next;
  }
  return out;
}
