/**
 * The shape shared by the probe and load screens, and the pieces they share: header,
 * windowing of endpoint rows around the selection, footer.
 */
import { endEllipsis } from '../format/text.ts';
import { keyLegend } from './keys.ts';
import { spinnerFrame, type Line } from './line.ts';
import type { RunPhase } from './pull-screen.ts';
import { selectedIndex, type ViewState } from './view-reducer.ts';
import { rowWindow } from './window.ts';

export interface BoardContext {
  width: number;
  height: number;
  tick: number;
  phase: RunPhase;
  title?: string;
  /** Keys can be read (stdin is a terminal); default true. */
  interactive?: boolean;
}

export interface BoardScreen {
  header: Line;
  /** Lines above the table: load totals, failover times; empty for probe. */
  summary: Line[];
  tableHeader: Line;
  above: number;
  below: number;
  rows: { key: string; line: Line; selected: boolean }[];
  detail: Line[];
  footer: Line[];
  keys: string[];
}

export function boardHeader(ctx: BoardContext, right: string): Line {
  const left = `pullpath${ctx.title ? ` · ${ctx.title}` : ''}`;
  const phase = ctx.phase === 'running' ? `${spinnerFrame(ctx.tick)} ${right}` : `${ctx.phase} · ${right}`;
  const l = endEllipsis(left, Math.max(0, ctx.width - phase.length - 1));
  return [
    { text: l, bold: true },
    { text: ' '.repeat(Math.max(1, ctx.width - l.length - phase.length)) },
    { text: phase, tone: ctx.phase === 'running' || ctx.phase === 'done' ? 'accent' : 'warn' },
  ];
}

export function boardFooter(totals: string, ctx: BoardContext, failing: boolean): Line[] {
  return [
    [{ text: endEllipsis(totals, ctx.width), tone: failing ? 'fail' : 'normal' }],
    [{ text: endEllipsis(keyLegend(ctx.width, ctx.interactive !== false).replace('enter attempts', 'enter details').replace('f failures only', 'f problems only'), ctx.width), tone: 'dim' }],
  ];
}

/**
 * Fits rows and the selected row's details into `listHeight` lines; rows outside are counted
 * by the markers. `rowLine(i, selected)` lays out only the rows that are shown.
 */
export function windowRows(
  keys: readonly string[],
  view: ViewState,
  listHeight: number,
  details: (key: string) => Line[],
  rowLine: (key: string, selected: boolean) => Line,
  empty: string,
): Pick<BoardScreen, 'rows' | 'detail' | 'above' | 'below'> {
  const sel = selectedIndex(view, keys);
  let detail = view.expanded && sel >= 0 ? details(keys[sel]!) : [];
  const markers = keys.length + detail.length <= listHeight ? 0 : 2;
  const cap = Math.max(0, listHeight - markers - Math.min(keys.length, 3));
  if (detail.length > cap) detail = [...detail.slice(0, Math.max(0, cap - 1)), [{ text: '    … more: enlarge the terminal', tone: 'warn' as const }]].slice(0, cap);
  const win = rowWindow(keys.length, sel, Math.max(0, listHeight - markers - detail.length));
  const rows: BoardScreen['rows'] = [];
  for (let i = win.start; i < win.end; i++) rows.push({ key: keys[i]!, selected: i === sel, line: rowLine(keys[i]!, i === sel) });
  if (rows.length === 0) rows.push({ key: '', selected: false, line: [{ text: `  ${empty}`, tone: 'dim' }] });
  return { rows, detail, above: win.above, below: win.below };
}
