/**
 * What the person has chosen to look at: selection, expansion, filters. Shared by the pull,
 * probe and load views; rows are identified by a stable key (image name or endpoint) so the
 * selection stays put while new rows stream in.
 */

export interface ViewState {
  /** Key of the selected row; null means "the first visible row". */
  selected: string | null;
  /** Whether the selected row shows its details (attempt chain, last error); follows the selection. */
  expanded: boolean;
  /** Show errors in full (wrapped) instead of one shortened line. */
  fullError: boolean;
  /** Show only failed images / unhealthy endpoints. */
  failuresOnly: boolean;
  /** The person asked to quit. */
  quit: boolean;
}

export type ViewAction =
  | { type: 'move'; delta: number }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'toggle-expand' }
  | { type: 'toggle-full-error' }
  | { type: 'toggle-failures' }
  /** `interrupt`: Ctrl-C (raw mode turns it into a key): quit, and stop the run as SIGINT would (exit 130). */
  | { type: 'quit'; interrupt?: boolean };

export function initialViewState(overrides: Partial<ViewState> = {}): ViewState {
  return { selected: null, expanded: false, fullError: false, failuresOnly: false, quit: false, ...overrides };
}

/** The index of the effective selection in `keys`: the chosen key if visible, else the first row (-1 if none). */
export function selectedIndex(view: ViewState, keys: readonly string[]): number {
  if (keys.length === 0) return -1;
  const i = view.selected === null ? -1 : keys.indexOf(view.selected);
  return i >= 0 ? i : 0;
}

/**
 * Applies one action. `keys` are the rows visible now (after the failure filter), in order;
 * moves clamp at both ends rather than wrapping, as a long list reads best that way.
 */
export function viewReducer(view: ViewState, action: ViewAction, keys: readonly string[]): ViewState {
  switch (action.type) {
    case 'move':
    case 'first':
    case 'last': {
      if (keys.length === 0) return view;
      const from = selectedIndex(view, keys);
      const to =
        action.type === 'first' ? 0 : action.type === 'last' ? keys.length - 1 : clamp(from + action.delta, 0, keys.length - 1);
      return { ...view, selected: keys[to] ?? null };
    }
    case 'toggle-expand':
      return { ...view, expanded: !view.expanded, selected: keys[selectedIndex(view, keys)] ?? view.selected };
    case 'toggle-full-error':
      return { ...view, fullError: !view.fullError };
    case 'toggle-failures':
      return { ...view, failuresOnly: !view.failuresOnly };
    case 'quit':
      return { ...view, quit: true };
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
