/**
 * The controls every view shares: view state (selection, expansion, filters), key handling with a single
 * quit notification, the terminal's size and the spinner tick. `keys.current` must be set to the row keys of
 * the screen being shown, so key actions can move the selection over them.
 */
import { useInput, useStdin } from 'ink';
import { useRef, useState, type Dispatch, type MutableRefObject, type SetStateAction } from 'react';
import { interruptRun } from '../../lifecycle.ts';
import { keysToActions } from '../state/keys.ts';
import type { RunPhase } from '../state/pull-screen.ts';
import { initialViewState, viewReducer, type ViewState } from '../state/view-reducer.ts';
import { useTerminalSize } from './use-terminal-size.ts';
import { useTicker } from './use-ticker.ts';

export interface ViewControls {
  view: ViewState;
  setView: Dispatch<SetStateAction<ViewState>>;
  size: { columns: number; rows: number };
  tick: number;
  keys: MutableRefObject<string[]>;
  /** Keys can be read: stdin is a terminal that supports raw mode. */
  interactive: boolean;
}

export function useViewControls(opts: { phase: RunPhase; onQuit: () => void; initialView?: Partial<ViewState>; tickMs?: number }): ViewControls {
  const [view, setView] = useState(() => initialViewState(opts.initialView));
  const size = useTerminalSize();
  const tick = useTicker(opts.tickMs ?? 200, opts.phase === 'running' || opts.phase === 'cancelling');
  const { isRawModeSupported } = useStdin();
  const keys = useRef<string[]>([]);
  const quitSent = useRef(false);

  useInput(
    (input, key) => {
      const actions = keysToActions(input, key, Math.max(1, size.rows - 8));
      if (actions.length === 0) return;
      setView((v) => actions.reduce((acc, a) => viewReducer(acc, a, keys.current), v));
      // Ctrl-C stops the run as SIGINT does (the command then exits 130 after its report), every time it is
      // pressed: a second one ends the process at once, as outside the TUI.
      if (actions.some((a) => a.type === 'quit' && a.interrupt === true)) interruptRun();
      if (actions.some((a) => a.type === 'quit') && !quitSent.current) {
        quitSent.current = true;
        opts.onQuit();
      }
    },
    { isActive: isRawModeSupported === true },
  );
  return { view, setView, size, tick, keys, interactive: isRawModeSupported === true };
}
