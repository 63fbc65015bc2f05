import { useCallback, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp, useSlice } from '../app/context.tsx';
import { canPause, canResume } from '../format/download-text.ts';
import { visibleIds } from '../stores/downloads.ts';
import { DownloadRow } from './DownloadRow.tsx';
import { EmptyState } from './EmptyState.tsx';
import { RowMenu } from './RowMenu.tsx';
import styles from './DownloadList.module.css';

const ROW_HEIGHT = 56;

/**
 * The virtualised list of downloads (a grid of rows, one tab stop). Only the
 * rows in view (plus a few) are mounted, so 10,000 downloads scroll like 10.
 * Keyboard: arrows/Home/End/PageUp/PageDown move, Shift extends the selection,
 * Space pauses or resumes, Enter opens, Delete removes, Ctrl+A selects all,
 * the Menu key (or Shift+F10) opens the row's menu.
 */
export function DownloadList() {
  const app = useApp();
  const { stores, actions } = app;
  const filter = useSlice('view', (state) => state.filter);
  const query = useSlice('view', (state) => state.query);
  const focusedId = useSlice('view', (state) => state.focusedId);
  const listVersion = useSlice('downloads', (state) => state.listVersion);
  const status = useSlice('downloads', (state) => state.status);
  const total = useSlice('downloads', (state) => state.counts.all);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  // listVersion moves only when membership, order or a state changes; progress alone does not refilter.
  const ids = useMemo(() => visibleIds(stores.downloads.getState(), filter, query), [listVersion, filter, query, stores]);
  const idsRef = useRef(ids);
  idsRef.current = ids;

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // Before the first measurement (and in tests without layout), assume a window-sized list.
    initialRect: { width: 1000, height: 720 },
    getItemKey: (index) => ids[index] ?? index,
  });

  const tabStop = focusedId !== null && ids.includes(focusedId) ? focusedId : (ids[0] ?? null);

  const focusRow = useCallback(
    (index: number, extend: boolean) => {
      const target = idsRef.current[Math.max(0, Math.min(index, idsRef.current.length - 1))];
      if (target === undefined) return;
      const view = stores.view.getState();
      if (extend) view.selectRange(target, idsRef.current);
      else view.selectOnly(target);
      virtualizer.scrollToIndex(idsRef.current.indexOf(target), { align: 'auto' });
      requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-id="${target}"]`)?.focus());
    },
    [stores, virtualizer],
  );

  const onRowClick = useCallback(
    (event: MouseEvent, id: string) => {
      const view = stores.view.getState();
      if (event.shiftKey) view.selectRange(id, idsRef.current);
      else if (event.ctrlKey || event.metaKey) view.toggle(id);
      else view.selectOnly(id);
    },
    [stores],
  );

  const onMenu = useCallback((id: string, x: number, y: number) => {
    const view = stores.view.getState();
    if (!view.selected.has(id)) view.selectOnly(id);
    setMenu({ id, x, y });
  }, [stores]);

  const selectionOrFocused = (): string[] => {
    const { selected, focusedId: focused } = stores.view.getState();
    if (selected.size > 0) return [...selected];
    return focused ? [focused] : [];
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.target as HTMLElement).tagName === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) return;
    const current = tabStop === null ? -1 : ids.indexOf(tabStop);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: ids.length - 1, PageDown: current + page, PageUp: current - page };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      focusRow(move, event.shiftKey);
      return;
    }
    const byId = stores.downloads.getState().byId;
    const targets = selectionOrFocused();
    if (event.key === ' ') {
      event.preventDefault();
      const states = targets.map((id) => byId.get(id)?.state);
      // One key for both: if anything selected is moving, Space pauses; otherwise it resumes.
      if (states.some((state) => state !== undefined && canPause(state))) void actions.pause(targets.filter((id) => canPause(byId.get(id)!.state)));
      else void actions.resume(targets.filter((id) => { const state = byId.get(id)?.state; return state !== undefined && canResume(state); }));
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      stores.dialogs.getState().confirmRemove(targets);
    } else if (event.key === 'Enter' && tabStop) {
      event.preventDefault();
      if (byId.get(tabStop)?.state === 'completed') void actions.openFile(tabStop);
      else stores.view.getState().selectOnly(tabStop);
    } else if (event.key.toLowerCase() === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      stores.view.getState().selectAll(ids);
    } else if (event.key === 'Escape') {
      stores.view.getState().clearSelection();
    } else if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && tabStop) {
      event.preventDefault();
      const box = scroller.current?.querySelector(`[data-id="${tabStop}"]`)?.getBoundingClientRect();
      onMenu(tabStop, box ? box.right - 24 : 0, box ? box.bottom : 0);
    }
  };

  if (status === 'loading') {
    return (
      <div className={styles.loading} role="status" aria-label="Loading downloads">
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} className={styles.skeleton} aria-hidden="true">
            <span className={styles.skeletonIcon} />
            <span className={styles.skeletonLines}>
              <span />
              <span />
            </span>
          </div>
        ))}
        <span className="visually-hidden">Loading downloads…</span>
      </div>
    );
  }

  const items = virtualizer.getVirtualItems();
  return (
    <div role="tabpanel" aria-labelledby={`filter-${filter}`} className={styles.panel}>
      {ids.length === 0 ? (
        <EmptyState hasDownloads={total > 0} query={query} filter={filter} />
      ) : (
        <div
          ref={scroller}
          id="download-list"
          role="grid"
          aria-label="Downloads"
          aria-multiselectable="true"
          aria-rowcount={ids.length}
          className={styles.scroller}
          onKeyDown={onKeyDown}
        >
          <div role="rowgroup" className={styles.sizer} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const id = ids[item.index]!;
              return (
                <DownloadRow key={id} id={id} index={item.index} top={item.start} tabbable={id === tabStop} onClick={onRowClick} onMenu={onMenu} />
              );
            })}
          </div>
        </div>
      )}
      {menu && <RowMenu id={menu.id} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </div>
  );
}
