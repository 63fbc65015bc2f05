import { ClipboardCopy, Copy, ExternalLink, FolderOpen, Link, Pause, Play, RotateCw, Trash2, X, type LucideIcon } from 'lucide-react';
import type { DownloadSnapshot } from '../../../shared/download/types.ts';
import type { App } from '../app/create-app.ts';
import { canPause, canResume, canRetry, isFinished } from '../format/download-text.ts';

export interface RowAction {
  key: 'pause' | 'resume' | 'retry' | 'cancel' | 'open' | 'folder' | 'copy' | 'copy-path' | 'refresh' | 'remove';
  label: string;
  icon: LucideIcon;
  /** Shown as a button on the row (the rest live in the menu). */
  inline: boolean;
  danger?: boolean;
  run(): void;
}

/**
 * What can be done with one download in its current state, in menu order.
 * `host` says where the window runs: a browser cannot open files on the machine running Skein.
 */
export function rowActions(download: DownloadSnapshot, app: Pick<App, 'actions' | 'stores'>, host: 'electron' | 'browser' | undefined): RowAction[] {
  const { actions, stores } = app;
  const ids = [download.id];
  const list: RowAction[] = [];
  const { state } = download;
  const desktop = host !== 'browser';
  if (canPause(state)) list.push({ key: 'pause', label: 'Pause', icon: Pause, inline: true, run: () => void actions.pause(ids) });
  if (canResume(state)) list.push({ key: 'resume', label: 'Resume', icon: Play, inline: true, run: () => void actions.resume(ids) });
  if (canRetry(state)) list.push({ key: 'retry', label: 'Retry', icon: RotateCw, inline: true, run: () => void actions.retry(ids) });
  if (state === 'completed' && desktop) {
    list.push({ key: 'open', label: 'Open', icon: ExternalLink, inline: true, run: () => void actions.openFile(download.id) });
    list.push({ key: 'folder', label: 'Show in folder', icon: FolderOpen, inline: true, run: () => void actions.showInFolder(download.id) });
  }
  if (state === 'completed' && !desktop) {
    list.push({ key: 'copy-path', label: 'Copy file path', icon: ClipboardCopy, inline: true, run: () => void actions.copyText(download.filePath, 'File path copied.') });
  }
  if (!isFinished(state)) list.push({ key: 'cancel', label: 'Cancel', icon: X, inline: true, run: () => void actions.cancel(ids) });
  list.push({ key: 'copy', label: 'Copy link', icon: Copy, inline: false, run: () => void actions.copyText(download.url, 'Link copied.') });
  if (state === 'failed' || state === 'paused' || state === 'retrying') {
    list.push({ key: 'refresh', label: 'Refresh link…', icon: Link, inline: false, run: () => stores.dialogs.getState().askRefreshUrl(download.id) });
  }
  list.push({ key: 'remove', label: 'Remove…', icon: Trash2, inline: false, danger: true, run: () => stores.dialogs.getState().confirmRemove(ids) });
  return list;
}
