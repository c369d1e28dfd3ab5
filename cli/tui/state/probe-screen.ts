/**
 * The probe board: one row per endpoint with health, latency p50/p90/p99, error rate and the
 * last health change; the selected endpoint expands to its role and last error. Pure.
 */
import { formatMs, formatPercent } from '../format/numbers.ts';
import { cell, endEllipsis, oneLine, wrapText } from '../format/text.ts';
import type { Health, ProbeBoardSnapshot, ProbeEndpointView } from '../view-models.ts';
import { boardFooter, boardHeader, windowRows, type BoardContext, type BoardScreen } from './board-screen.ts';
import type { BoardState } from './board-state.ts';
import type { Line, Tone } from './line.ts';
import type { ViewState } from './view-reducer.ts';

const HEALTH: Record<Health, [string, Tone]> = {
  up: ['● up', 'ok'],
  degraded: ['◐ degraded', 'warn'],
  down: ['✗ down', 'fail'],
  unknown: ['? unknown', 'dim'],
};

/** Fixed columns: marker 2, health 11, p50/p90/p99 7 each, error rate 6, last change 15. */
const FIXED = 2 + 11 + 21 + 6 + 15;

export function visibleEndpointKeys(snapshot: ProbeBoardSnapshot | null, view: ViewState): string[] {
  const eps = snapshot?.endpoints ?? [];
  return (view.failuresOnly ? eps.filter((e) => e.health !== 'up') : eps).map((e) => e.endpoint);
}

export function probeScreen(board: BoardState<ProbeBoardSnapshot>, view: ViewState, ctx: BoardContext): BoardScreen {
  const snap = board.latest;
  const byKey = new Map((snap?.endpoints ?? []).map((e) => [e.endpoint, e] as const));
  const keys = visibleEndpointKeys(snap, view);
  const counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const e of snap?.endpoints ?? []) counts[e.health] += 1;
  const total = snap?.endpoints.length ?? 0;
  const header = boardHeader(ctx, `${counts.up}/${total} up${view.failuresOnly ? ' · problems only' : ''}`);
  const epWidth = Math.max(10, ctx.width - FIXED);
  const tableHeader: Line = [
    { text: `  ${cell('endpoint', epWidth)}${cell('health', 11)}${cell('p50', 7, 'right')}${cell('p90', 7, 'right')}${cell('p99', 7, 'right')}${cell('err', 6, 'right')} ${cell('last change', 14)}`, tone: 'dim' },
  ];
  const totals = `${total} endpoints · ${counts.up} up · ${counts.degraded} degraded · ${counts.down} down · ${board.snapshots} snapshots · ${formatMs(snap?.at ?? 0)}`;
  const footer = boardFooter(totals, ctx, counts.down > 0);
  const listHeight = Math.max(1, ctx.height - 2 - footer.length);
  const at = snap?.at ?? 0;
  const list = windowRows(
    keys,
    view,
    listHeight,
    (k) => endpointDetail(byKey.get(k)!, at, ctx.width, view.fullError),
    (k, selected) => endpointRow(byKey.get(k)!, at, epWidth, selected),
    snap === null ? 'waiting for the first probe…' : 'every endpoint is up (f shows all)',
  );
  return { header, summary: [], tableHeader, ...list, footer, keys };
}

function lastChange(e: ProbeEndpointView, at: number): string {
  if (e.lastChange === null) return 'never';
  // Leaving `unknown` is the first verdict, not a change worth naming (and it would not fit the column).
  const was = e.lastChange.from !== null && e.lastChange.from !== 'unknown' ? ` (${e.lastChange.from})` : '';
  return `${formatMs(at - e.lastChange.at)} ago${was}`;
}

function endpointRow(e: ProbeEndpointView, at: number, epWidth: number, selected: boolean): Line {
  const [label, tone] = HEALTH[e.health];
  const l = e.latencyMs;
  return [
    { text: selected ? '› ' : '  ', tone: 'accent', bold: true },
    // One column kept free so a shortened endpoint never runs into its health.
    { text: `${cell(e.endpoint, epWidth - 1)} `, bold: selected },
    { text: cell(label, 11), tone },
    { text: `${cell(formatMs(l?.p50), 7, 'right')}${cell(formatMs(l?.p90), 7, 'right')}${cell(formatMs(l?.p99), 7, 'right')}` },
    { text: cell(formatPercent(e.errorRate), 6, 'right'), tone: e.errorRate > 0 ? 'fail' : 'normal' },
    { text: ` ${cell(lastChange(e, at), 14)}`, tone: 'dim' },
  ];
}

function endpointDetail(e: ProbeEndpointView, at: number, width: number, full: boolean): Line[] {
  const lines: Line[] = [];
  if (e.role) lines.push([{ text: endEllipsis(`    ${e.role}`, width), tone: 'accent' }]);
  lines.push([{ text: endEllipsis(`    ${e.samples} probes · error rate ${formatPercent(e.errorRate)} · health changed ${lastChange(e, at)}`, width), tone: 'dim' }]);
  if (e.lastError) {
    const text = `    last error${e.lastErrorClass ? ` (${e.lastErrorClass})` : ''}: ${full ? e.lastError : oneLine(e.lastError)}`;
    const wrapped = full ? wrapText(text, width) : [endEllipsis(text, width)];
    for (const w of wrapped) lines.push([{ text: w, tone: 'fail' }]);
  }
  return lines;
}
