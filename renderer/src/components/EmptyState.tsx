import { Link2, Plus, SearchX } from 'lucide-react';
import { useApp } from '../app/context.tsx';
import type { Filter } from '../stores/downloads.ts';
import styles from './EmptyState.module.css';

const FILTER_EMPTY: Record<Exclude<Filter, 'all'>, string> = {
  active: 'Nothing is downloading right now.',
  queued: 'Nothing is waiting in the queue.',
  completed: 'No finished downloads yet.',
  failed: 'No failed downloads. Good news.',
};

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

/** What an empty list says: how to add the first download, or why a filter or search shows nothing. */
export function EmptyState({ hasDownloads, query, filter }: { hasDownloads: boolean; query: string; filter: Filter }) {
  const { stores } = useApp();
  if (query.trim()) {
    return (
      <div className={styles.empty}>
        <SearchX size={32} className={styles.icon} aria-hidden="true" />
        <p className={styles.title}>No downloads match “{query.trim()}”.</p>
        <button type="button" className="button" onClick={() => stores.view.getState().setQuery('')}>
          Clear search
        </button>
      </div>
    );
  }
  if (hasDownloads && filter !== 'all') {
    return (
      <div className={styles.empty}>
        <p className={styles.title}>{FILTER_EMPTY[filter]}</p>
        <button type="button" className="button" onClick={() => stores.view.getState().setFilter('all')}>
          Show all downloads
        </button>
      </div>
    );
  }
  return (
    <div className={styles.empty}>
      <span className={styles.badge} aria-hidden="true">
        <Link2 size={28} />
      </span>
      <p className={styles.title}>Paste a link or drop it here</p>
      <button type="button" className="button button-primary" onClick={() => stores.dialogs.getState().openAdd()}>
        <Plus size={16} aria-hidden="true" />
        Add download
      </button>
      <p className={styles.hint}>
        or press <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> <kbd>N</kbd>
      </p>
    </div>
  );
}
