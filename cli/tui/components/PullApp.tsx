/**
 * Connects the stores to PullView: reads the committed pull state, keeps the view state
 * (selection, expansion, filters), maps keys to actions and lays out the screen for the
 * terminal's size. All decisions live in the pure functions it calls.
 */
import { useRef } from 'react';
import { useStore } from '../hooks/use-store.ts';
import { useViewControls } from '../hooks/use-view-controls.ts';
import { pullScreen, type RunPhase } from '../state/pull-screen.ts';
import type { PullViewState } from '../state/pull-state.ts';
import type { StreamStore, ValueStore } from '../state/stream-store.ts';
import type { ViewState } from '../state/view-reducer.ts';
import type { ScenarioExpectation } from '../view-models.ts';
import { PullView } from './PullView.tsx';

export interface PullAppProps {
  store: StreamStore<PullViewState>;
  expectations: ValueStore<readonly ScenarioExpectation[]>;
  phase: ValueStore<RunPhase>;
  title?: string;
  /** Called once when the person presses q or Ctrl-C. */
  onQuit: () => void;
  /** Wall clock (ms) and when the view started on it. */
  clock: () => number;
  startedAt: number;
  initialView?: Partial<ViewState>;
  /** Spinner/elapsed refresh period. */
  tickMs?: number;
}

export function PullApp(props: PullAppProps) {
  const state = useStore(props.store);
  const expectations = useStore(props.expectations);
  const phase = useStore(props.phase);
  const { view, size, tick, keys, interactive } = useViewControls({
    phase,
    onQuit: props.onQuit,
    ...(props.initialView !== undefined ? { initialView: props.initialView } : {}),
    ...(props.tickMs !== undefined ? { tickMs: props.tickMs } : {}),
  });

  // The run's clock stops when the stream ends (or is cancelled); browsing afterwards does not move it.
  const stoppedAt = useRef<number | null>(null);
  if (phase === 'running' || phase === 'cancelling') stoppedAt.current = null;
  else stoppedAt.current ??= props.clock();
  const wall = stoppedAt.current ?? props.clock();
  const firstWall = props.store.firstItemAt();
  const now = state.firstAt !== null && firstWall !== null ? state.firstAt + (wall - firstWall) : state.lastAt;
  const screen = pullScreen(state, view, expectations, {
    width: size.columns,
    // One line short of the terminal: a frame as tall as the screen makes Ink clear and redraw it all.
    height: size.rows - 1,
    now: Math.max(now, state.lastAt),
    elapsedMs: wall - props.startedAt,
    tick,
    phase,
    interactive,
    ...(props.title !== undefined ? { title: props.title } : {}),
  });
  keys.current = screen.keys;
  return <PullView screen={screen} />;
}
