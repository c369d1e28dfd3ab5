/**
 * Connects a snapshot store to BoardView for the probe or the load board: view state, keys,
 * terminal size. `layout` is probeScreen or loadScreen.
 */
import { useStore } from '../hooks/use-store.ts';
import { useViewControls } from '../hooks/use-view-controls.ts';
import type { BoardContext, BoardScreen } from '../state/board-screen.ts';
import type { BoardState } from '../state/board-state.ts';
import type { RunPhase } from '../state/pull-screen.ts';
import type { StreamStore, ValueStore } from '../state/stream-store.ts';
import type { ViewState } from '../state/view-reducer.ts';
import { BoardView } from './BoardView.tsx';

export interface BoardAppProps<S> {
  store: StreamStore<BoardState<S>>;
  phase: ValueStore<RunPhase>;
  layout: (board: BoardState<S>, view: ViewState, ctx: BoardContext) => BoardScreen;
  title?: string;
  onQuit: () => void;
  initialView?: Partial<ViewState>;
  tickMs?: number;
}

export function BoardApp<S>(props: BoardAppProps<S>) {
  const board = useStore(props.store);
  const phase = useStore(props.phase);
  const { view, size, tick, keys, interactive } = useViewControls({
    phase,
    onQuit: props.onQuit,
    ...(props.initialView !== undefined ? { initialView: props.initialView } : {}),
    ...(props.tickMs !== undefined ? { tickMs: props.tickMs } : {}),
  });

  const screen = props.layout(board, view, {
    width: size.columns,
    height: size.rows - 1,
    tick,
    phase,
    interactive,
    ...(props.title !== undefined ? { title: props.title } : {}),
  });
  keys.current = screen.keys;
  return <BoardView screen={screen} />;
}
