import { describe, expect, it } from 'vitest';
import { HISTORY, initialBoardState, reduceLoadSnapshots, reduceProbeSnapshots } from '../../../cli/tui/state/board-state.ts';
import { lineText } from '../../../cli/tui/state/line.ts';
import { loadScreen } from '../../../cli/tui/state/load-screen.ts';
import { probeScreen } from '../../../cli/tui/state/probe-screen.ts';
import { initialViewState } from '../../../cli/tui/state/view-reducer.ts';
import type { BoardContext } from '../../../cli/tui/state/board-screen.ts';
import type { LoadBoardSnapshot, ProbeBoardSnapshot } from '../../../cli/tui/view-models.ts';
import { loadSnapshot, PROBE_BOARD, probeEndpoint, probeSnapshot } from '../../fixtures/tui/board-snapshots.ts';

const ctx: BoardContext = { width: 80, height: 23, tick: 0, phase: 'running' };

describe('board reducers', () => {
  it('keep the latest snapshot and a bounded history per endpoint', () => {
    const snaps = Array.from({ length: HISTORY + 5 }, (_, i) => probeSnapshot(i * 1000, [probeEndpoint('a', { latencyMs: { p50: i, p90: i, p99: i } })]));
    const s = reduceProbeSnapshots(initialBoardState<ProbeBoardSnapshot>(), snaps);
    expect(s.latest).toBe(snaps.at(-1));
    expect(s.snapshots).toBe(HISTORY + 5);
    expect(s.history['a']).toHaveLength(HISTORY);
    expect(s.history['a']!.at(-1)).toBe(HISTORY + 4);
  });

  it('fold load snapshots one batch or one at a time to the same state', () => {
    const snaps = [loadSnapshot(1000, 10), loadSnapshot(2000, 20), loadSnapshot(3000, 40)];
    const batched = reduceLoadSnapshots(initialBoardState<LoadBoardSnapshot>(), snaps);
    const single = snaps.reduce((s, x) => reduceLoadSnapshots(s, [x]), initialBoardState<LoadBoardSnapshot>());
    expect(batched).toEqual(single);
    expect(batched.total).toEqual([10, 20, 40]);
    expect(batched.history['mirror1.example.com:5000']).toEqual([6, 12, 24]);
  });
});

describe('probeScreen', () => {
  const board = reduceProbeSnapshots(initialBoardState<ProbeBoardSnapshot>(), [PROBE_BOARD]);

  it('shows health, p50/p90/p99, error rate and the last change per endpoint, within 80 columns', () => {
    const s = probeScreen(board, initialViewState(), ctx);
    const rows = s.rows.map((r) => lineText(r.line));
    expect(rows[1]).toMatch(/^ {2}mirror2\.example\.com\s+◐ degraded\s+250ms\s+900ms\s+2\.4s\s+15%\s+12\.0s ago \(up\)/);
    expect(rows[2]).toMatch(/quay\.io\s+✗ down\s+–\s+–\s+–\s+100%\s+28\.0s ago/);
    expect(lineText(s.header)).toContain('1/3 up');
    for (const l of [s.header, s.tableHeader, ...s.rows.map((r) => r.line), ...s.footer]) expect(lineText(l).length).toBeLessThanOrEqual(80);
  });

  it('expands the selected endpoint to its role and last error, and filters to problems', () => {
    const s = probeScreen(board, initialViewState({ expanded: true, failuresOnly: true, selected: 'quay.io' }), ctx);
    expect(s.keys).toEqual(['mirror2.example.com', 'quay.io']);
    expect(s.detail.map(lineText).join('\n')).toContain('last error (refused): pinging container registry quay.io');
  });
});

describe('loadScreen', () => {
  const board = reduceLoadSnapshots(initialBoardState<LoadBoardSnapshot>(), [loadSnapshot(1000, 10), loadSnapshot(2000, 50), loadSnapshot(12_300, 100)]);

  it('shows throughput with its trend, success rate, failovers and time to failover per fault kind', () => {
    const s = loadScreen(board, initialViewState(), ctx);
    const summary = s.summary.map(lineText);
    expect(summary[0]).toBe("throughput 100/s ▂▅█ · success 99%");
    expect(summary[1]).toBe('failovers 340 · upstream hits 3 · 12 failed pulls');
    expect(summary[3]).toMatch(/refused\s+200\s+1ms\s+4ms\s+9ms/);
    expect(summary[4]).toMatch(/hang\s+120\s+2\.0s\s+2\.0s\s+2\.0s/);
    expect(lineText(s.header)).toContain('12.3s / 1m00s');
  });

  it('draws a sparkline and a share bar per endpoint', () => {
    const s = loadScreen(board, initialViewState(), ctx);
    const row = lineText(s.rows[0]!.line);
    expect(row).toMatch(/^› mirror1\.ex…le\.com:5000\s+60\/s\s+▂▅█\s+75%\s+3ms\s+20ms\s+████░░░░\s+51%/);
    expect(row.length).toBeLessThanOrEqual(80);
  });
});
