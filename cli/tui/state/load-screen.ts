/**
 * The load board: throughput with a sparkline, success rate, failovers, time to failover per
 * fault kind, then one row per endpoint with requests/s and its trend, success rate,
 * latency and the share of pulls it served. Pure.
 */
import { bar, sparkline } from '../format/sparkline.ts';
import { formatMs, formatPercent, formatRate } from '../format/numbers.ts';
import { cell, endEllipsis } from '../format/text.ts';
import type { LoadBoardSnapshot, LoadEndpointView } from '../view-models.ts';
import { boardFooter, boardHeader, windowRows, type BoardContext, type BoardScreen } from './board-screen.ts';
import type { BoardState } from './board-state.ts';
import type { Line } from './line.ts';
import type { ViewState } from './view-reducer.ts';

const TREND = 12;
const MAX_FAULTS = 4;
/** Fixed columns: marker 2, req/s 8 + space, trend 12, ok% 6, p50 7, p99 7, share 2 + 8 + 5. */
const FIXED = 2 + 9 + TREND + 6 + 7 + 7 + 15;

export function visibleLoadKeys(snapshot: LoadBoardSnapshot | null, view: ViewState): string[] {
  const eps = snapshot?.endpoints ?? [];
  const problem = (e: LoadEndpointView): boolean => e.errors > 0 || (e.health !== undefined && e.health !== 'up');
  return (view.failuresOnly ? eps.filter(problem) : eps).map((e) => e.endpoint);
}

export function loadScreen(board: BoardState<LoadBoardSnapshot>, view: ViewState, ctx: BoardContext): BoardScreen {
  const snap = board.latest;
  const byKey = new Map((snap?.endpoints ?? []).map((e) => [e.endpoint, e] as const));
  const keys = visibleLoadKeys(snap, view);
  const planned = snap?.durationMs ? ` / ${formatMs(snap.durationMs)}` : '';
  const header = boardHeader(ctx, `${formatMs(snap?.at ?? 0)}${planned}${view.failuresOnly ? ' · problems only' : ''}`);
  const summary = summaryLines(board, ctx.width);
  const epWidth = Math.max(10, ctx.width - FIXED);
  const tableHeader: Line = [
    { text: `  ${cell('endpoint', epWidth)}${cell('req/s', 8, 'right')} ${cell('trend', TREND)}${cell('ok', 6, 'right')}${cell('p50', 7, 'right')}${cell('p99', 7, 'right')}  served`, tone: 'dim' },
  ];
  const done = snap?.completed ?? 0;
  const totals = `${done} pulls · ${snap?.succeeded ?? 0} ok · ${snap?.failed ?? 0} failed · ${snap?.inFlight ?? 0} in flight · ${snap?.endpoints.length ?? 0} endpoints`;
  const footer = boardFooter(totals, ctx, (snap?.failed ?? 0) > 0);
  const listHeight = Math.max(1, ctx.height - 2 - summary.length - footer.length);
  const list = windowRows(
    keys,
    view,
    listHeight,
    (k) => endpointDetail(byKey.get(k)!, ctx.width),
    (k, selected) => endpointRow(byKey.get(k)!, board.history[k] ?? [], snap?.succeeded ?? 0, epWidth, selected),
    snap === null ? 'waiting for the first snapshot…' : 'no endpoint has errors (f shows all)',
  );
  return { header, summary, tableHeader, ...list, footer, keys };
}

function summaryLines(board: BoardState<LoadBoardSnapshot>, width: number): Line[] {
  const s = board.latest;
  if (s === null) return [];
  const success = s.completed > 0 ? s.succeeded / s.completed : null;
  const spark = sparkline(board.total, Math.min(board.total.length, TREND * 2, Math.max(0, width - 45)));
  const lines: Line[] = [
    [
      { text: `throughput ${formatRate(s.throughput)} ` },
      { text: spark, tone: 'accent' },
      { text: endEllipsis(` · success ${formatPercent(success)}`, Math.max(0, width - 18 - spark.length)), tone: success !== null && success < 1 ? 'warn' : 'normal' },
    ],
    [{ text: endEllipsis(`failovers ${s.failovers}${s.upstreamHits !== undefined ? ` · upstream hits ${s.upstreamHits}` : ''} · ${s.failed} failed pulls`, width) }],
  ];
  if (s.timeToFailover.length > 0) {
    lines.push([{ text: `  ${cell('time to failover', 20)}${cell('count', 7, 'right')}${cell('p50', 8, 'right')}${cell('p99', 8, 'right')}${cell('max', 8, 'right')}`, tone: 'dim' }]);
    const shown = s.timeToFailover.slice(0, MAX_FAULTS);
    for (const f of shown) {
      lines.push([{ text: `  ${cell(f.faultKind, 20)}${cell(String(f.count), 7, 'right')}${cell(formatMs(f.p50Ms), 8, 'right')}${cell(formatMs(f.p99Ms), 8, 'right')}${cell(formatMs(f.maxMs), 8, 'right')}` }]);
    }
    if (s.timeToFailover.length > shown.length) lines.push([{ text: `  … ${s.timeToFailover.length - shown.length} more fault kinds`, tone: 'dim' }]);
  }
  return lines;
}

function endpointRow(e: LoadEndpointView, history: readonly number[], succeeded: number, epWidth: number, selected: boolean): Line {
  const ok = e.requests > 0 ? (e.requests - e.errors) / e.requests : null;
  const share = succeeded > 0 ? e.wins / succeeded : 0;
  return [
    { text: selected ? '› ' : '  ', tone: 'accent', bold: true },
    { text: cell(e.endpoint, epWidth), bold: selected },
    { text: `${cell(formatRate(e.throughput), 8, 'right')} ` },
    { text: sparkline(history, TREND), tone: 'accent' },
    { text: cell(formatPercent(ok), 6, 'right'), tone: ok !== null && ok < 1 ? 'fail' : 'normal' },
    { text: `${cell(formatMs(e.latencyMs?.p50), 7, 'right')}${cell(formatMs(e.latencyMs?.p99), 7, 'right')}  ` },
    { text: bar(share, 8), tone: 'ok' },
    { text: ` ${cell(formatPercent(share), 4, 'right')}` },
  ];
}

function endpointDetail(e: LoadEndpointView, width: number): Line[] {
  const lines: Line[] = [];
  if (e.role) lines.push([{ text: endEllipsis(`    ${e.role}`, width), tone: 'accent' }]);
  const health = e.health ? ` · health ${e.health}` : '';
  lines.push([{ text: endEllipsis(`    ${e.requests} requests · ${e.errors} errors · served ${e.wins} pulls · p90 ${formatMs(e.latencyMs?.p90)}${health}`, width), tone: 'dim' }]);
  return lines;
}
