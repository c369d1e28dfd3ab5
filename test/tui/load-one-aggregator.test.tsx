/**
 * One aggregator feeds every load view: the same request samples go through one LoadRecorder, and the
 * live board (Ink), the text report and the JSON show the same figures — time to failover per fault kind
 * with its p50/p90/p99/max, per-endpoint percentiles, failing windows. Before, the board took a view model
 * re-derived from the summary and showed its own figures (no p90, its own rounding).
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { BoardApp } from '../../cli/tui/components/BoardApp.tsx';
import { ThemeContext } from '../../cli/tui/components/theme-context.ts';
import { initialBoardState, reduceLoadSnapshots } from '../../cli/tui/state/board-state.ts';
import { loadScreen } from '../../cli/tui/state/load-screen.ts';
import type { RunPhase } from '../../cli/tui/state/pull-screen.ts';
import { createStreamStore, createValueStore } from '../../cli/tui/state/stream-store.ts';
import type { LoadBoardSnapshot } from '../../cli/tui/view-models.ts';
import { faultKindFromWindows } from '../../src/load/fault-windows.ts';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import type { LoadSummary } from '../../src/load/load-summary.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import { fmtMs } from '../../src/report/text-table.ts';
import { LOAD_FAULTS, loadSamples } from '../fixtures/tui/board-snapshots.ts';
import { KEYS, tick, until } from './helpers/fake-terminal.ts';

afterEach(() => cleanup());

const MS = String.raw`\d+(?:\.\d+)? (?:ms|s)`;

function aggregate(): LoadSummary {
  const r = new LoadRecorder({ mode: 'open', faults: LOAD_FAULTS, faultKindOf: faultKindFromWindows(LOAD_FAULTS) });
  for (const s of loadSamples()) {
    r.started();
    r.finished(s);
  }
  return r.summary(12_300);
}

/** Rows of `kind count p50 p90 p99 max` (kinds may hold spaces and `+`) from a screen or a report. */
function failoverRows(text: string, kinds: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const kind of kinds) {
    const esc = kind.replace(/[+.]/g, '\\$&');
    const m = new RegExp(String.raw`^\s*${esc}\s+(\d+)\s+(${MS})\s+(${MS})\s+(${MS})\s+(${MS})\s*$`, 'm').exec(text);
    out[kind] = m ? m.slice(1) : [];
  }
  return out;
}

/** p50/p90/p99 of an endpoint row (the endpoint name may be shortened on the board: match its end). */
function endpointPercentiles(text: string, nameEnd: string): string[] {
  const name = nameEnd.replace(/[().]/g, '\\$&');
  // A table row, or (when the table is wider than 80 columns) the report's record form "p50 X, p90 Y, p99 Z".
  const m =
    new RegExp(String.raw`${name}\s.*?(${MS})\s+(${MS})\s+(${MS})`, 'm').exec(text) ??
    new RegExp(String.raw`${name}\s[\s\S]*?p50 (${MS}), p90 (${MS}), p99 (${MS})`).exec(text);
  return m ? m.slice(1) : [];
}

describe('load: the TUI board, the text report and the JSON show one aggregate', () => {
  it('the same figures for time to failover, endpoint percentiles and failing windows', async () => {
    const summary = aggregate();
    const report = formatLoadReport(summary);
    const json = JSON.parse(JSON.stringify({ type: 'load', ...summary })) as LoadSummary;

    const snapshots: LoadBoardSnapshot[] = [{ summary, durationMs: 12_000 }];
    async function* stream() {
      yield* snapshots;
    }
    const store = createStreamStore(stream(), reduceLoadSnapshots, initialBoardState<LoadBoardSnapshot>(), { flushMs: 0 });
    const phase = createValueStore<RunPhase>('done');
    const ui = render(
      <ThemeContext.Provider value={{ color: false }}>
        <BoardApp<LoadBoardSnapshot> store={store} phase={phase} layout={loadScreen} onQuit={() => undefined} title="load" />
      </ThemeContext.Provider>,
    );
    await until(() => (ui.lastFrame() ?? '').includes('time to failover'));
    const board = ui.lastFrame() ?? '';

    const kinds = Object.keys(json.failover);
    expect(kinds).toEqual(['refuse', 'refuse+status 503']);
    const onBoard = failoverRows(board, kinds);
    const inReport = failoverRows(report, kinds);
    for (const k of kinds) {
      expect(onBoard[k], `board row for ${k}`).toHaveLength(5);
      expect(onBoard[k]).toEqual(inReport[k]);
      const l = json.failover[k]!;
      expect(onBoard[k]).toEqual([String(l.count), fmtMs(l.p50Ms), fmtMs(l.p90Ms), fmtMs(l.p99Ms), fmtMs(l.maxMs)]);
    }

    for (const e of json.perEndpoint) {
      const tail = e.endpoint.slice(-8) + (e.mirror ? '' : ' (source)');
      const fromBoard = endpointPercentiles(board, tail);
      expect(fromBoard, `board row for ${e.endpoint}`).toHaveLength(3);
      expect(fromBoard).toEqual(endpointPercentiles(report, tail));
      expect(fromBoard).toEqual([fmtMs(e.latency.p50Ms), fmtMs(e.latency.p90Ms), fmtMs(e.latency.p99Ms)]);
    }

    // The selected endpoint's failing window, as the report's FAILING column has it.
    ui.stdin.write(KEYS.enter);
    await until(() => (ui.lastFrame() ?? '').includes('failing '));
    await tick(5);
    const failing = /failing (\S+ s – \S+ s)/.exec(ui.lastFrame() ?? '')?.[1];
    expect(failing).toBe('3.0 s – 7.9 s');
    // The report's endpoint row: a table row, or its record form ("errors refused 50, failing …") when wider than 80 columns.
    expect(report).toMatch(new RegExp(String.raw`^mirror1\.example\.com:5000/acme\s[^]*?refused 50,?\s+(?:failing )?${failing}$`, 'm'));
    // …and each fault's window, which the board lists beside it.
    expect(board).toMatch(/^ {2}refuse\s+mirror1\.example\.com:5000\s+3\.0 s – 8\.0 s$/m);
    expect(report).toMatch(/^refuse\s+mirror1\.example\.com:5000\s+3\.0 s – 8\.0 s$/m);
  });
});
