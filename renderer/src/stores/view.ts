import { createStore } from 'zustand/vanilla';
import type { Filter } from './downloads.ts';

/**
 * What the person is looking at: the filter tab, the search text, the selected
 * rows (Shift/Ctrl click), the row holding keyboard focus and whether the
 * details panel is open. Selection is by id so it survives filtering.
 */
export interface ViewState {
  filter: Filter;
  query: string;
  selected: ReadonlySet<string>;
  /** Where a Shift-click range starts. */
  anchorId: string | null;
  /** The row that holds the list's single tab stop. */
  focusedId: string | null;
  detailsOpen: boolean;
  setFilter(filter: Filter): void;
  setQuery(query: string): void;
  /** Plain click: selects only this row and shows its details. */
  selectOnly(id: string): void;
  /** Ctrl/Cmd click: adds or removes one row. */
  toggle(id: string): void;
  /** Shift click: selects from the anchor to `id` in the visible order. */
  selectRange(id: string, visible: readonly string[]): void;
  selectAll(visible: readonly string[]): void;
  clearSelection(): void;
  setFocused(id: string | null): void;
  setDetailsOpen(open: boolean): void;
  /** Drops ids that no longer exist. */
  forget(existing: ReadonlyMap<string, unknown>): void;
}

export function createViewStore() {
  return createStore<ViewState>()((set, get) => ({
    filter: 'all',
    query: '',
    selected: new Set(),
    anchorId: null,
    focusedId: null,
    detailsOpen: false,

    setFilter: (filter) => set({ filter }),
    setQuery: (query) => set({ query }),
    selectOnly: (id) => set({ selected: new Set([id]), anchorId: id, focusedId: id, detailsOpen: true }),
    toggle(id) {
      const selected = new Set(get().selected);
      if (selected.has(id)) selected.delete(id);
      else selected.add(id);
      set({ selected, anchorId: id, focusedId: id });
    },
    selectRange(id, visible) {
      const anchor = get().anchorId ?? id;
      const from = visible.indexOf(anchor);
      const to = visible.indexOf(id);
      if (from < 0 || to < 0) {
        get().selectOnly(id);
        return;
      }
      const [low, high] = from <= to ? [from, to] : [to, from];
      set({ selected: new Set(visible.slice(low, high + 1)), focusedId: id });
    },
    selectAll: (visible) => set({ selected: new Set(visible) }),
    clearSelection: () => set({ selected: new Set(), anchorId: null, detailsOpen: false }),
    setFocused: (focusedId) => set({ focusedId }),
    setDetailsOpen: (detailsOpen) => set({ detailsOpen }),
    forget(existing) {
      const { selected, focusedId, anchorId } = get();
      const kept = [...selected].filter((id) => existing.has(id));
      if (kept.length === selected.size && (focusedId === null || existing.has(focusedId))) return;
      set({
        selected: new Set(kept),
        focusedId: focusedId !== null && existing.has(focusedId) ? focusedId : null,
        anchorId: anchorId !== null && existing.has(anchorId) ? anchorId : null,
        detailsOpen: get().detailsOpen && kept.length > 0,
      });
    },
  }));
}

export type ViewStore = ReturnType<typeof createViewStore>;

/** The download the details panel shows: the most recently focused selected row. */
export function primarySelection(state: Pick<ViewState, 'selected' | 'focusedId' | 'anchorId'>): string | null {
  if (state.focusedId !== null && state.selected.has(state.focusedId)) return state.focusedId;
  if (state.anchorId !== null && state.selected.has(state.anchorId)) return state.anchorId;
  const first = state.selected.values().next();
  return first.done ? null : first.value;
}
