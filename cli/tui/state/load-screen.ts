/**
 * The load board: the load recorder's summary laid out for a terminal. Every figure (headline, time to
 * failover, per-endpoint percentiles, failing windows, fault windows) is the one the text report prints,
 * formatted by the same functions (src/report/load-figures.ts); this file only places them. Pure.
 */
import type { EndpointLoadSummary, LoadSummary } from '../../../src/load/load-summary.ts';
import {
  endpointFigures,
  failedPulls,
  failoverFigures,
  faultFigures,
  fmtRunTime,
  loadHeadline,
} from '../../../src/report/load-figures.ts';
import { sparkline } from '../format/sparkline.ts';
import { cell, wrapText } from '../format/text.ts';
import type { LoadBoardSnapshot } from '../view-models.ts';
import { boardFooter, boardHeader, windowRows, type BoardContext, type BoardScreen } from './board-screen.ts';
import type { BoardState } from './board-state.ts';
import type { Line, Tone } from './line.ts';
import type { ViewState } from './view-reducer.ts';

const TREND = 24;
const MAX_FAILOVER_ROWS = 4;
const MAX_FAULT_ROWS = 3;
/** Latency cells hold `fmtMs` output ("97.7 ms", "1.20 s", "12.3 s") right-aligned. */
const MS = 9;
/** Endpoint table: marker 2, attempts 9, failed 7, p50/p90/p99, served 8. */
const EP_FIXED = 2 + 9 + 7 + 3 * MS + 8;
/** Failover table: indent 2, pulls 7, p50/p90/p99/max. */
const FO_FIXED = 2 + 7 + 4 * MS;

const isProblem = (e: EndpointLoadSummary): boolean => e.failed + e.blocked > 0;

export function visibleLoadKeys(snapshot: LoadBoardSnapshot | null, view: ViewState): string[] {
  const eps = snapshot?.summary.perEndpoint ?? [];
  return (view.failuresOnly ? eps.filter(isProblem) : eps).map((e) => e.endpoint);
}

export function loadScreen(board: BoardState<LoadBoardSnapshot>, view: ViewState, ctx: BoardContext): BoardScreen {
  const snap = board.latest;
  const s = snap?.summary ?? null;
  const byKey = new Map((s?.perEndpoint ?? []).map((e) => [e.endpoint, e] as const));
  const keys = visibleLoadKeys(snap, view);
  const planned = snap?.durationMs ? ` / ${fmtRunTime(snap.durationMs)}` : '';
  const header = boardHeader(ctx, `${fmtRunTime(s?.elapsedMs ?? 0)}${planned}${view.failuresOnly ? ' · problems only' : ''}`);
  const summary = s === null ? [] : summaryLines(s, ctx.width);
  const epWidth = Math.max(10, ctx.width - EP_FIXED);
  const tableHeader: Line = [
    {
      text: `  ${cell('endpoint', epWidth)}${cell('attempts', 9, 'right')}${cell('failed', 7, 'right')}${cell('p50', MS, 'right')}${cell('p90', MS, 'right')}${cell('p99', MS, 'right')}${cell('served', 8, 'right')}`,
      tone: 'dim',
    },
  ];
  const failed = s === null ? 0 : failedPulls(s);
  const totals = `${s?.requests ?? 0} pulls · ${s?.successes ?? 0} ok · ${failed} failed · ${s?.inFlight ?? 0} in flight · ${s?.perEndpoint.length ?? 0} endpoints`;
  const footer = boardFooter(totals, ctx, failed > 0);
  const listHeight = Math.max(1, ctx.height - 2 - summary.length - footer.length);
  const list = windowRows(
    keys,
    view,
    listHeight,
    (k) => endpointDetail(s!, byKey.get(k)!, ctx.width),
    (k, selected) => endpointRow(s!, byKey.get(k)!, epWidth, selected),
    snap === null ? 'waiting for the first snapshot…' : 'no endpoint has errors (f shows all)',
  );
  return { header, summary, tableHeader, ...list, footer, keys };
}

/** Joins parts with " · " and wraps between parts (a part longer than the line wraps inside it). */
function joinWrapped(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    const next = cur === '' ? p : `${cur} · ${p}`;
    if (next.length <= width) cur = next;
    else {
      if (cur !== '') lines.push(cur);
      const wrapped = wrapText(p, width);
      cur = wrapped.pop() ?? '';
      lines.push(...wrapped);
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

function summaryLines(s: LoadSummary, width: number): Line[] {
  const failed = failedPulls(s);
  const lines: Line[] = wrapText(loadHeadline(s), width).map((t): Line => [{ text: t, tone: failed > 0 ? 'warn' : 'normal' }]);
  // Finished pulls per whole second (the recorder's buckets); the second still running is left out.
  const whole = s.perSecond.slice(0, Math.floor(s.elapsedMs / 1000)).map((b) => b.ok + b.failed);
  const spark = whole.length > 0 ? sparkline(whole, Math.min(whole.length, TREND)) : '';
  const parts = [
    ...(spark ? [`pulls/s ${spark}`] : []),
    `${s.inFlight} in flight`,
    ...(s.mode === 'open' && s.lateStarts > 0 ? [`${s.lateStarts} started late (latency counts from the schedule)`] : []),
    `digest mismatches accepted: ${s.digestMismatches}`,
  ];
  for (const t of joinWrapped(parts, width)) lines.push([{ text: t, tone: s.digestMismatches > 0 && t.includes('digest mismatches') ? 'fail' : 'normal' }]);

  const fo = failoverFigures(s);
  if (fo.length > 0) {
    const kindWidth = Math.max(8, width - FO_FIXED);
    const row = (c: string[]): string =>
      `  ${cell(c[0]!, kindWidth)}${cell(c[1]!, 7, 'right')}${c.slice(2).map((x) => cell(x, MS, 'right')).join('')}`;
    lines.push([{ text: row(['time to failover', 'pulls', 'p50', 'p90', 'p99', 'max']), tone: 'dim' }]);
    const shown = fo.length > MAX_FAILOVER_ROWS ? fo.slice(0, MAX_FAILOVER_ROWS - 1) : fo;
    for (const f of shown) lines.push([{ text: row([f.kind, f.count, f.p50, f.p90, f.p99, f.max]) }]);
    if (shown.length < fo.length) lines.push([{ text: `  … ${fo.length - shown.length} more fault kinds (enlarge the terminal, or see the report on exit)`, tone: 'dim' }]);
  }
  const faults = faultFigures(s);
  if (faults.length > 0) {
    const activeWidth = 15;
    const faultWidth = Math.min(20, Math.max(8, ...faults.map((f) => f.fault.length)));
    const onWidth = Math.max(8, Math.min(Math.max(...faults.map((f) => f.on.length)) + 2, width - 2 - faultWidth - 1 - activeWidth));
    const row = (a: string, b: string, c: string): string => `  ${cell(a, faultWidth)} ${cell(b, onWidth)}${cell(c, activeWidth, 'right')}`;
    lines.push([{ text: row('fault', 'on', 'active'), tone: 'dim' }]);
    const shown = faults.length > MAX_FAULT_ROWS ? faults.slice(0, MAX_FAULT_ROWS - 1) : faults;
    for (const f of shown) lines.push([{ text: row(f.fault, f.on, f.active), tone: 'warn' }]);
    if (shown.length < faults.length) lines.push([{ text: `  … ${faults.length - shown.length} more faults`, tone: 'dim' }]);
  }
  return lines;
}

function endpointRow(s: LoadSummary, e: EndpointLoadSummary, epWidth: number, selected: boolean): Line {
  const f = endpointFigures(s, e);
  return [
    { text: selected ? '› ' : '  ', tone: 'accent', bold: true },
    { text: cell(f.name, epWidth), bold: selected },
    { text: cell(f.attempts, 9, 'right') },
    { text: cell(f.failed, 7, 'right'), tone: isProblem(e) ? 'fail' : 'normal' },
    { text: `${cell(f.p50, MS, 'right')}${cell(f.p90, MS, 'right')}${cell(f.p99, MS, 'right')}` },
    { text: cell(f.share, 8, 'right'), tone: 'ok' },
  ];
}

function endpointDetail(s: LoadSummary, e: EndpointLoadSummary, width: number): Line[] {
  const f = endpointFigures(s, e);
  const text = (t: string, tone: Tone = 'dim'): Line[] => wrapText(t, width - 4).map((l): Line => [{ text: `    ${l}`, tone }]);
  return [
    ...text(f.name, 'accent'),
    ...text(`${f.attempts} attempts · ${f.ok} ok · ${f.failed} failed · max ${f.max} · served ${f.won} pulls (${f.share})`),
    ...(isProblem(e) ? text(`errors: ${f.errors} · failing ${f.failing}`, 'fail') : []),
  ];
}
