import { AddDialog } from './AddDialog.tsx';
import { DetailsPanel } from './DetailsPanel.tsx';
import { DownloadList } from './DownloadList.tsx';
import { HealthBanner } from './HealthBanner.tsx';
import { Notices } from './Notices.tsx';
import { RefreshUrlDialog } from './RefreshUrlDialog.tsx';
import { RemoveDialog } from './RemoveDialog.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { Sidebar } from './Sidebar.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useGlobalShortcuts } from './use-global-shortcuts.ts';
import { useLinkDrop } from './use-link-drop.ts';
import { useWindowTitle } from './use-window-title.ts';
import { useSlice } from '../app/context.tsx';
import styles from './App.module.css';

/** The window: sidebar, toolbar, list with its details panel, status bar, and the dialogs. */
export function App() {
  useGlobalShortcuts();
  useWindowTitle();
  const dropping = useLinkDrop();
  const dialog = useSlice('dialogs', (state) => state.open.kind);
  const detailsOpen = useSlice('view', (state) => state.detailsOpen && state.selected.size > 0);

  return (
    <div className={styles.window} data-dropping={dropping || undefined}>
      <Sidebar />
      <main className={styles.main} aria-label="Downloads">
        <Toolbar />
        <HealthBanner />
        <div className={styles.content} data-details={detailsOpen || undefined}>
          <DownloadList />
          {detailsOpen && <DetailsPanel />}
        </div>
      </main>
      <StatusBar />
      <Notices />
      {dropping && (
        <div className={styles.dropOverlay} aria-hidden="true">
          <div className={styles.dropCard}>Drop links to add them</div>
        </div>
      )}
      {dialog === 'add' && <AddDialog />}
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'remove' && <RemoveDialog />}
      {dialog === 'refresh-url' && <RefreshUrlDialog />}
    </div>
  );
}
