import { useRef, type KeyboardEvent } from 'react';
import { ArrowDownToLine, Settings } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import { FILTERS, type Filter } from '../stores/downloads.ts';
import styles from './Sidebar.module.css';

const LABELS: Record<Filter, string> = { all: 'All', active: 'Active', queued: 'Queued', completed: 'Completed', failed: 'Failed' };

/** The brand, the filter tabs with their counts, and Settings at the bottom. */
export function Sidebar() {
  const { stores } = useApp();
  const filter = useSlice('view', (state) => state.filter);
  const counts = useSlice('downloads', (state) => state.counts);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  // Arrow keys move between tabs (and select them), as the ARIA tabs pattern asks.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = FILTERS.indexOf(filter);
    const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    let next = index + step;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = FILTERS.length - 1;
    else if (step === 0) return;
    event.preventDefault();
    next = (next + FILTERS.length) % FILTERS.length;
    stores.view.getState().setFilter(FILTERS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <nav className={styles.sidebar} aria-label="Skein">
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          <ArrowDownToLine size={16} strokeWidth={2.5} />
        </span>
        Skein
      </div>
      <div role="tablist" aria-label="Show downloads" aria-orientation="vertical" className={styles.tabs} onKeyDown={onKeyDown}>
        {FILTERS.map((name, index) => (
          <button
            key={name}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            role="tab"
            id={`filter-${name}`}
            aria-selected={filter === name}
            aria-controls="download-list"
            tabIndex={filter === name ? 0 : -1}
            className={styles.tab}
            onClick={() => stores.view.getState().setFilter(name)}
          >
            <span>{LABELS[name]}</span>
            <span className={`${styles.count} tabular`} data-tone={name === 'failed' && counts.failed > 0 ? 'danger' : undefined}>
              {counts[name].toLocaleString()}
            </span>
          </button>
        ))}
      </div>
      <button type="button" className={styles.settings} onClick={() => stores.dialogs.getState().openSettings()}>
        <Settings size={16} aria-hidden="true" />
        Settings
      </button>
    </nav>
  );
}
