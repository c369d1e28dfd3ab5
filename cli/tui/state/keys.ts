/**
 * Maps a key press (as Ink's useInput reports it) to a view action. Pure, so the key map is
 * tested without a terminal. Ctrl-C quits too, as an interrupt: raw mode turns SIGINT into a key, and the
 * run must end as Ctrl-C ends it anywhere else (exit 130).
 */
import type { ViewAction } from './view-reducer.ts';

/** The subset of Ink's `Key` the views use. */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  ctrl?: boolean;
  escape?: boolean;
}

/** `page` is how many rows a PageUp/PageDown moves. */
export function keyToAction(input: string, key: KeyPress, page = 10): ViewAction | null {
  if (key.ctrl && input === 'c') return { type: 'quit', interrupt: true };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'move', delta: -page };
  if (key.pageDown || input === ' ') return { type: 'move', delta: page };
  if (key.home || input === 'g') return { type: 'first' };
  if (key.end || input === 'G') return { type: 'last' };
  if (key.return) return { type: 'toggle-expand' };
  if (input === 'e') return { type: 'toggle-full-error' };
  if (input === 'f') return { type: 'toggle-failures' };
  if (input === 'q') return { type: 'quit' };
  return null;
}

/**
 * Keys typed faster than the terminal is read arrive as one chunk ("jjj"): each character
 * counts. Special keys (arrows, enter) always arrive alone.
 */
export function keysToActions(input: string, key: KeyPress, page = 10): ViewAction[] {
  const one = keyToAction(input, key, page);
  if (one !== null || input.length <= 1 || key.ctrl) return one === null ? [] : [one];
  return [...input].map((ch) => keyToAction(ch, {}, page)).filter((a): a is ViewAction => a !== null);
}

/**
 * The key legend for the footer, shortest first when space is tight. Without a terminal on stdin no key can
 * be read (`pullpath pull … < file` at a terminal): the footer says so instead of offering keys.
 */
export function keyLegend(width: number, interactive = true): string {
  if (!interactive) {
    const long = 'no keys: stdin is not a terminal · the report follows when the run ends';
    return long.length <= width ? long : 'no keys (stdin is not a terminal)';
  }
  const long = '↑↓/jk select · enter attempts · e full error · f failures only · q quit';
  const short = '↑↓ jk · ⏎ expand · e error · f failures · q quit';
  return long.length <= width ? long : short;
}
