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

  it('keep the latest load summary, one batch or one at a time', () => {
    const snaps = [loadSnapshot(1000), loadSnapshot(2000), loadSnapshot(3000)];
    const batched = reduceLoadSnapshots(initialBoardState<LoadBoardSnapshot>(), snaps);
    const single = snaps.reduce((s, x) => reduceLoadSnapshots(s, [x]), initialBoardState<LoadBoardSnapshot>());
    expect(batched).toEqual(single);
    expect(batched.latest).toBe(snaps[2]);
    expect(batched.snapshots).toBe(3);
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

  it('keeps a space between a shortened endpoint and its health, and does not name `unknown` as a prior state', () => {
    const snap = probeSnapshot(2000, [probeEndpoint('mirror.corp.example.com:5000/ocp4/release', { lastChange: { at: 1120, from: 'unknown' } })]);
    const s = probeScreen(reduceProbeSnapshots(initialBoardState<ProbeBoardSnapshot>(), [snap]), initialViewState(), ctx);
    expect(lineText(s.rows[0]!.line)).toMatch(/^› mirror\.corp…ocp4\/release ● up\s+12ms\s+30ms\s+80ms\s+0% 880ms ago\s*$/);
  });

  it('expands the selected endpoint to its role and last error, and filters to problems', () => {
    const s = probeScreen(board, initialViewState({ expanded: true, failuresOnly: true, selected: 'quay.io' }), ctx);
    expect(s.keys).toEqual(['mirror2.example.com', 'quay.io']);
    expect(s.detail.map(lineText).join('\n')).toContain('last error (refused): pinging container registry quay.io');
  });
});

describe('loadScreen', () => {
  const board = reduceLoadSnapshots(initialBoardState<LoadBoardSnapshot>(), [loadSnapshot(1000), loadSnapshot(2000), loadSnapshot(12_300)]);

  it('shows the recorder\'s headline, time to failover with p90, and the fault windows, within 80 columns', () => {
    const s = loadScreen(board, initialViewState(), ctx);
    const summary = s.summary.map(lineText);
    expect(summary.slice(0, 2)).toEqual(['120 pulls in 12.3 s (open loop): 9.8/s, 118 ok, 2 failed (98.3% success);', 'failures: timeout 2']);
    expect(summary[2]).toMatch(/^pulls\/s [▁-█]{12} · 0 in flight · digest mismatches accepted: 0$/);
    expect(summary[3]).toMatch(/^ {2}time to failover\s+pulls\s+p50\s+p90\s+p99\s+max$/);
    expect(summary[4]).toMatch(/^ {2}refuse\s+40\s+3\.00 ms\s+5\.00 ms\s+5\.00 ms\s+5\.00 ms$/);
    expect(summary[5]).toMatch(/^ {2}refuse\+status 503\s+8\s+6\.00 ms\s+9\.01 ms\s+9\.01 ms\s+9\.00 ms$/);
    expect(summary[7]).toMatch(/^ {2}refuse\s+mirror1\.example\.com:5000\s+3\.0 s – 8\.0 s$/);
    expect(lineText(s.header)).toMatch(/12\.3 s \/ 12\.0 s$/);
    for (const l of [s.header, ...s.summary, s.tableHeader, ...s.rows.map((r) => r.line), ...s.footer]) expect(lineText(l).length).toBeLessThanOrEqual(80);
  });

  it('shows attempts, failures, p50/p90/p99 and the share served per endpoint; enter adds errors and the failing window', () => {
    const s = loadScreen(board, initialViewState({ expanded: true }), ctx);
    const rows = s.rows.map((r) => lineText(r.line));
    expect(rows[0]).toMatch(/^› mirror1\.ex\S*:5000\/acme\s+120\s+50\s+4\.00 ms\s+6\.00 ms\s+6\.00 ms\s+59\.3%$/);
    expect(rows[2]).toMatch(/^ {2}quay\.io\/acme \(source\)\s+10\s+2\s+42\.0 ms\s+47\.0 ms\s+48\.0 ms\s+6\.8%$/);
    expect(s.detail.map(lineText)).toEqual([
      '    mirror1.example.com:5000/acme',
      '    120 attempts · 70 ok · 50 failed · max 6.00 ms · served 70 pulls (59.3%)',
      '    errors: refused 50 · failing 3.0 s – 7.9 s',
    ]);
  });
});
