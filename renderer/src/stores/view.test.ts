import { describe, expect, it } from 'vitest';
import { createViewStore, primarySelection } from './view.ts';

describe('view store: selection', () => {
  const visible = ['a', 'b', 'c', 'd', 'e'];

  it('selects one row on a plain click and opens its details', () => {
    const view = createViewStore();
    view.getState().selectOnly('b');
    expect([...view.getState().selected]).toEqual(['b']);
    expect(view.getState().detailsOpen).toBe(true);
    expect(primarySelection(view.getState())).toBe('b');
  });

  it('extends from the anchor with Shift and toggles with Ctrl', () => {
    const view = createViewStore();
    view.getState().selectOnly('b');
    view.getState().selectRange('d', visible);
    expect([...view.getState().selected]).toEqual(['b', 'c', 'd']);
    view.getState().toggle('c');
    expect([...view.getState().selected].sort()).toEqual(['b', 'd']);
    view.getState().selectRange('a', visible);
    // The anchor moved to the last Ctrl-clicked row.
    expect([...view.getState().selected]).toEqual(['a', 'b', 'c']);
  });

  it('forgets removed downloads and closes the details when nothing is left', () => {
    const view = createViewStore();
    view.getState().selectOnly('a');
    view.getState().forget(new Map([['b', 1]]));
    expect(view.getState().selected.size).toBe(0);
    expect(view.getState().focusedId).toBeNull();
    expect(view.getState().detailsOpen).toBe(false);
  });
});
