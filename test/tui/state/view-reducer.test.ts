import { describe, expect, it } from 'vitest';
import { keysToActions, keyToAction } from '../../../cli/tui/state/keys.ts';
import { initialViewState, selectedIndex, viewReducer, type ViewAction, type ViewState } from '../../../cli/tui/state/view-reducer.ts';

const keys = ['a', 'b', 'c', 'd'];

describe('viewReducer', () => {
  it.each<[string, Partial<ViewState>, ViewAction, Partial<ViewState>]>([
    ['moving down from no selection selects the second row', {}, { type: 'move', delta: 1 }, { selected: 'b' }],
    ['moving up at the top stays at the top', { selected: 'a' }, { type: 'move', delta: -1 }, { selected: 'a' }],
    ['moving down at the bottom stays at the bottom', { selected: 'd' }, { type: 'move', delta: 1 }, { selected: 'd' }],
    ['a page move clamps at the end', { selected: 'b' }, { type: 'move', delta: 10 }, { selected: 'd' }],
    ['first and last jump to the ends', { selected: 'c' }, { type: 'first' }, { selected: 'a' }],
    ['last', { selected: 'a' }, { type: 'last' }, { selected: 'd' }],
    ['enter expands and pins the selection', {}, { type: 'toggle-expand' }, { expanded: true, selected: 'a' }],
    ['enter folds', { expanded: true, selected: 'b' }, { type: 'toggle-expand' }, { expanded: false, selected: 'b' }],
    ['e toggles full errors', {}, { type: 'toggle-full-error' }, { fullError: true }],
    ['f toggles the failure filter', { failuresOnly: true }, { type: 'toggle-failures' }, { failuresOnly: false }],
    ['q quits', {}, { type: 'quit' }, { quit: true }],
    ['a selection hidden by the filter moves from the first visible row', { selected: 'zz' }, { type: 'move', delta: 1 }, { selected: 'b' }],
  ])('%s', (_name, from, action, expected) => {
    const next = viewReducer(initialViewState(from), action, keys);
    expect(next).toMatchObject(expected);
  });

  it('ignores moves when there are no rows', () => {
    const v = initialViewState();
    expect(viewReducer(v, { type: 'move', delta: 1 }, [])).toBe(v);
  });

  it('finds the effective selection: the chosen key, else the first row', () => {
    expect(selectedIndex(initialViewState({ selected: 'c' }), keys)).toBe(2);
    expect(selectedIndex(initialViewState({ selected: 'gone' }), keys)).toBe(0);
    expect(selectedIndex(initialViewState(), [])).toBe(-1);
  });
});

describe('keyToAction', () => {
  it.each<[string, Record<string, boolean>, ViewAction | null]>([
    ['', { upArrow: true }, { type: 'move', delta: -1 }],
    ['k', {}, { type: 'move', delta: -1 }],
    ['', { downArrow: true }, { type: 'move', delta: 1 }],
    ['j', {}, { type: 'move', delta: 1 }],
    ['', { pageDown: true }, { type: 'move', delta: 10 }],
    ['', { return: true }, { type: 'toggle-expand' }],
    ['e', {}, { type: 'toggle-full-error' }],
    ['f', {}, { type: 'toggle-failures' }],
    ['q', {}, { type: 'quit' }],
    ['c', { ctrl: true }, { type: 'quit', interrupt: true }],
    ['c', {}, null],
    ['x', {}, null],
  ])('maps %j %j to %j', (input, key, action) => {
    expect(keyToAction(input, key)).toEqual(action);
  });
});

describe('keysToActions', () => {
  it('splits a chunk of typed keys ("jjf") into one action per key', () => {
    expect(keysToActions('jjf', {})).toEqual([{ type: 'move', delta: 1 }, { type: 'move', delta: 1 }, { type: 'toggle-failures' }]);
    expect(keysToActions('', { return: true })).toEqual([{ type: 'toggle-expand' }]);
    expect(keysToActions('zz', {})).toEqual([]);
  });
});
