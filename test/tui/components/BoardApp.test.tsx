import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { BoardApp } from '../../../cli/tui/components/BoardApp.tsx';
import { ThemeContext } from '../../../cli/tui/components/theme-context.ts';
import { initialBoardState, reduceLoadSnapshots, reduceProbeSnapshots, type BoardState } from '../../../cli/tui/state/board-state.ts';
import type { BoardContext, BoardScreen } from '../../../cli/tui/state/board-screen.ts';
import { loadScreen } from '../../../cli/tui/state/load-screen.ts';
import { probeScreen } from '../../../cli/tui/state/probe-screen.ts';
import type { RunPhase } from '../../../cli/tui/state/pull-screen.ts';
import { createStreamStore, createValueStore } from '../../../cli/tui/state/stream-store.ts';
import type { ViewState } from '../../../cli/tui/state/view-reducer.ts';
import type { LoadBoardSnapshot, ProbeBoardSnapshot } from '../../../cli/tui/view-models.ts';
import { loadSnapshot, PROBE_BOARD, probeEndpoint, probeSnapshot } from '../../fixtures/tui/board-snapshots.ts';
import { KEYS, tick, until } from '../helpers/fake-terminal.ts';

afterEach(() => cleanup());

async function* from<T>(items: T[], gapMs = 0): AsyncGenerator<T> {
  for (const i of items) {
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    yield i;
  }
}

function mount<S>(items: S[], reduce: (s: BoardState<S>, b: readonly S[]) => BoardState<S>, layout: (b: BoardState<S>, v: ViewState, c: BoardContext) => BoardScreen, gapMs = 0) {
  const store = createStreamStore(from(items, gapMs), reduce, initialBoardState<S>(), { flushMs: 0 });
  const phase = createValueStore<RunPhase>('running');
  const ui = render(
    <ThemeContext.Provider value={{ color: false }}>
      <BoardApp<S> store={store} phase={phase} layout={layout} onQuit={() => undefined} title="probe" />
    </ThemeContext.Provider>,
  );
  const frame = (): string => ui.lastFrame() ?? '';
  const press = async (k: string): Promise<void> => {
    const before = ui.frames.length;
    ui.stdin.write(k);
    await until(() => ui.frames.length > before, 2000).catch(() => undefined);
    await tick(5);
  };
  return { ui, frame, store, press };
}

describe('probe board frames', () => {
  it('shows each endpoint with health, latency percentiles, error rate and last change', async () => {
    const t = mount([PROBE_BOARD], reduceProbeSnapshots, probeScreen);
    await until(() => t.frame().includes('quay.io'));
    const lines = t.frame().split('\n');
    expect(lines[0]).toMatch(/^pullpath · probe\s+[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\/3 up$/);
    expect(lines[1]).toMatch(/^ {2}endpoint\s+health\s+p50\s+p90\s+p99\s+err last change$/);
    expect(lines[2]).toMatch(/^› mirror1\.example\.com:5000\s+● up\s+12ms\s+30ms\s+80ms\s+0% never$/);
    expect(lines[3]).toMatch(/^ {2}mirror2\.example\.com\s+◐ degraded\s+250ms\s+900ms\s+2\.4s\s+15% 12\.0s ago \(up\)$/);
    expect(lines[4]).toMatch(/^ {2}quay\.io\s+✗ down\s+–\s+–\s+–\s+100% 28\.0s ago$/);
    expect(t.frame()).toContain('3 endpoints · 1 up · 1 degraded · 1 down');
  });

  it('selects, expands to the last error, toggles it in full, and filters to problems', async () => {
    const t = mount([PROBE_BOARD], reduceProbeSnapshots, probeScreen);
    await until(() => t.frame().includes('quay.io'));
    await t.press('j');
    await t.press(KEYS.enter);
    expect(t.frame()).toMatch(/^› mirror2\.example\.com/m);
    expect(t.frame()).toMatch(/last error \(server-error\): reading manifest 1\.4 in mirror2\.example\.com\/org\/app: received unexpe…$/m);
    await t.press('e');
    expect(t.frame().replace(/\n\s*/g, ' ')).toContain('received unexpected HTTP status: 503 Service Unavailable');
    await t.press('f');
    expect(t.frame()).not.toMatch(/mirror1\.example\.com:5000\s+● up/);
    expect(t.frame()).toContain('problems only');
  });

  it('follows live snapshots: health changes replace the row', async () => {
    const t = mount(
      [probeSnapshot(1000, [probeEndpoint('m.example.com')]), probeSnapshot(2000, [probeEndpoint('m.example.com', { health: 'down', lastChange: { at: 2000, from: 'up' } })])],
      reduceProbeSnapshots,
      probeScreen,
      30,
    );
    await until(() => t.frame().includes('● up'));
    await until(() => t.frame().includes('✗ down'));
    expect(t.frame()).toMatch(/m\.example\.com\s+✗ down.*0ms ago \(up\)/);
  });
});

describe('load board frames', () => {
  it('shows the recorder\'s figures: headline, time to failover with p90, faults, endpoints', async () => {
    const t = mount([loadSnapshot(1000), loadSnapshot(2000), loadSnapshot(12_300)], reduceLoadSnapshots, loadScreen);
    await until(() => t.frame().includes('12.3 s'));
    const lines = t.frame().split('\n');
    expect(lines[0]).toMatch(/12\.3 s \/ 12\.0 s$/);
    // ink-testing-library's terminal is 100 columns wide: the headline fits on one line.
    expect(lines[1]).toBe('120 pulls in 12.3 s (open loop): 9.8/s, 118 ok, 2 failed (98.3% success); failures: timeout 2');
    expect(t.frame()).toMatch(/^ {2}refuse\+status 503\s+8\s+6\.00 ms\s+9\.01 ms\s+9\.01 ms\s+9\.00 ms$/m);
    expect(t.frame()).toMatch(/^ {2}quay\.io\/acme \(source\)\s+10\s+2\s+42\.0 ms\s+47\.0 ms\s+48\.0 ms\s+6\.8%$/m);
    await t.press('f');
    expect(t.frame()).toContain('problems only');
  });
});
