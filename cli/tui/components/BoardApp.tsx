/**
 * Connects a snapshot store to BoardView for the probe or the load board: view state, keys,
 * terminal size. `layout` is probeScreen or loadScreen.
 */
import { useInput, useStdin } from 'ink';
import { useRef, useState } from 'react';
import { useStore } from '../hooks/use-store.ts';
import { useTerminalSize } from '../hooks/use-terminal-size.ts';
import { useTicker } from '../hooks/use-ticker.ts';
import type { BoardContext, BoardScreen } from '../state/board-screen.ts';
import type { BoardState } from '../state/board-state.ts';
import { keysToActions } from '../state/keys.ts';
import type { RunPhase } from '../state/pull-screen.ts';
import type { StreamStore, ValueStore } from '../state/stream-store.ts';
import { initialViewState, viewReducer, type ViewState } from '../state/view-reducer.ts';
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
  const [view, setView] = useState(() => initialViewState(props.initialView));
  const size = useTerminalSize();
  const tick = useTicker(props.tickMs ?? 200, phase === 'running' || phase === 'cancelling');
  const { isRawModeSupported } = useStdin();
  const keys = useRef<string[]>([]);
  const quitSent = useRef(false);

  useInput(
    (input, key) => {
      const actions = keysToActions(input, key, Math.max(1, size.rows - 8));
      if (actions.length === 0) return;
      setView((v) => actions.reduce((acc, a) => viewReducer(acc, a, keys.current), v));
      if (actions.some((a) => a.type === 'quit') && !quitSent.current) {
        quitSent.current = true;
        props.onQuit();
      }
    },
    { isActive: isRawModeSupported === true },
  );

  const screen = props.layout(board, view, {
    width: size.columns,
    height: size.rows - 1,
    tick,
    phase,
    ...(props.title !== undefined ? { title: props.title } : {}),
  });
  keys.current = screen.keys;
  return <BoardView screen={screen} />;
}
