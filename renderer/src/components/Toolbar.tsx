import { useEffect, useRef } from 'react';
import { Pause, Play, Plus, Search, Trash2, X } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import { SEARCH_EVENT } from '../app/events.ts';
import styles from './Toolbar.module.css';

/** Add, search, and the actions for everything (or for the selection, when several rows are selected). */
export function Toolbar() {
  const { stores, actions } = useApp();
  const query = useSlice('view', (state) => state.query);
  const selectedCount = useSlice('view', (state) => state.selected.size);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const focusSearch = () => search.current?.focus();
    window.addEventListener(SEARCH_EVENT, focusSearch);
    return () => window.removeEventListener(SEARCH_EVENT, focusSearch);
  }, []);

  const selected = () => [...stores.view.getState().selected];

  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Download actions">
      <button type="button" className="button button-primary" onClick={() => stores.dialogs.getState().openAdd()} aria-keyshortcuts="Control+N">
        <Plus size={16} aria-hidden="true" />
        Add
      </button>
      <div className={styles.search}>
        <Search size={15} className={styles.searchIcon} aria-hidden="true" />
        <input
          ref={search}
          type="search"
          className={`input ${styles.searchInput}`}
          placeholder="Search downloads"
          aria-label="Search downloads"
          aria-keyshortcuts="Control+F"
          value={query}
          onChange={(event) => stores.view.getState().setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query) {
              event.stopPropagation();
              stores.view.getState().setQuery('');
            }
          }}
        />
        {query && (
          <button type="button" className={`icon-button ${styles.clear}`} aria-label="Clear search" onClick={() => stores.view.getState().setQuery('')}>
            <X size={14} aria-hidden="true" />
          </button>
        )}
      </div>
      <div className={styles.spacer} />
      {selectedCount > 1 ? (
        <div className={styles.group} role="group" aria-label={`${selectedCount} selected`}>
          <span className={styles.selectionCount}>{selectedCount} selected</span>
          <button type="button" className="button" onClick={() => void actions.pause(selected())}>
            <Pause size={15} aria-hidden="true" />
            Pause
          </button>
          <button type="button" className="button" onClick={() => void actions.resume(selected())}>
            <Play size={15} aria-hidden="true" />
            Resume
          </button>
          <button type="button" className="button button-danger" onClick={() => stores.dialogs.getState().confirmRemove(selected())}>
            <Trash2 size={15} aria-hidden="true" />
            Remove
          </button>
          <button type="button" className="icon-button" aria-label="Clear selection" onClick={() => stores.view.getState().clearSelection()}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : (
        <div className={styles.group}>
          <button type="button" className="button" onClick={() => void actions.pauseAll()}>
            <Pause size={15} aria-hidden="true" />
            Pause all
          </button>
          <button type="button" className="button" onClick={() => void actions.resumeAll()}>
            <Play size={15} aria-hidden="true" />
            Resume all
          </button>
        </div>
      )}
    </div>
  );
}
