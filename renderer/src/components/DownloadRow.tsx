import { memo, type MouseEvent } from 'react';
import { MoreHorizontal } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import { problemText, progressPercent, stateLabel, toneOf } from '../format/download-text.ts';
import { hostOf } from '../format/links.ts';
import { formatDuration, formatProgressSize, formatSpeed } from '../format/units.ts';
import { FileIcon } from './FileIcon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { rowActions } from './row-actions.ts';
import { useNow } from './use-now.ts';
import styles from './DownloadRow.module.css';

interface DownloadRowProps {
  id: string;
  index: number;
  /** Pixels from the top of the list (virtualised placement). */
  top: number;
  tabbable: boolean;
  onClick(event: MouseEvent, id: string): void;
  onMenu(id: string, x: number, y: number): void;
}

/** One download: icon, name and host, size and progress, speed and time left (or its state), and actions on hover or focus. */
export const DownloadRow = memo(function DownloadRow({ id, index, top, tabbable, onClick, onMenu }: DownloadRowProps) {
  const app = useApp();
  const download = useSlice('downloads', (state) => state.byId.get(id));
  const host = useSlice('connection', (state) => state.appInfo?.host);
  const selected = useSlice('view', (state) => state.selected.has(id));
  const now = useNow(download?.state === 'retrying');
  if (!download) return null;

  const percent = progressPercent(download);
  const tone = toneOf(download.state);
  const busy = download.state === 'downloading';
  const label = stateLabel(download, now);
  // What went wrong and what to do, right under the name where there is room to read it.
  const problem = problemText(download);
  const actions = rowActions(download, app, host);
  const percentText = percent === null || download.state === 'completed' ? '' : `, ${Math.floor(percent)}%`;

  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      aria-label={`${download.fileName}, ${label}${problem ? `: ${problem}` : ''}${percentText}`}
      data-id={id}
      data-state={download.state}
      tabIndex={tabbable ? 0 : -1}
      className={styles.row}
      style={{ transform: `translateY(${top}px)` }}
      onClick={(event) => onClick(event, id)}
      onDoubleClick={() => (download.state === 'completed' ? void app.actions.openFile(id) : undefined)}
      onContextMenu={(event) => {
        event.preventDefault();
        onMenu(id, event.clientX, event.clientY);
      }}
    >
      <div role="gridcell" className={styles.main}>
        <FileIcon fileName={download.fileName} />
        <div className={styles.text}>
          <span className={styles.name} title={download.fileName}>
            {download.fileName}
          </span>
          {problem ? (
            <span className={styles.problem} data-tone={tone} title={problem}>
              {problem}
            </span>
          ) : (
            <span className={styles.host}>{hostOf(download.finalUrl ?? download.url)}</span>
          )}
        </div>
      </div>
      <div role="gridcell" className={styles.progress}>
        <span className={`${styles.size} tabular`}>{formatProgressSize(download.downloadedBytes, download.totalBytes)}</span>
        <ProgressBar percent={percent} tone={tone} label={`Progress of ${download.fileName}`} />
      </div>
      <div role="gridcell" className={styles.status}>
        {busy ? (
          <>
            <span className={`${styles.speed} tabular`}>{formatSpeed(download.speed)}</span>
            <span className={`${styles.eta} tabular`}>{download.etaSeconds === null ? 'Calculating…' : `${formatDuration(download.etaSeconds)} left`}</span>
          </>
        ) : (
          <span className={styles.state} data-tone={tone}>
            {label}
          </span>
        )}
      </div>
      <div role="gridcell" className={styles.actions}>
        {actions
          .filter((action) => action.inline)
          .map((action) => (
            <button
              key={action.key}
              type="button"
              className="icon-button"
              aria-label={action.label}
              title={action.label}
              tabIndex={tabbable ? 0 : -1}
              onClick={(event) => {
                event.stopPropagation();
                action.run();
              }}
            >
              <action.icon size={16} aria-hidden="true" />
            </button>
          ))}
        <button
          type="button"
          className="icon-button"
          aria-label="More actions"
          aria-haspopup="menu"
          title="More actions"
          tabIndex={tabbable ? 0 : -1}
          onClick={(event) => {
            event.stopPropagation();
            const box = event.currentTarget.getBoundingClientRect();
            onMenu(id, box.right, box.bottom);
          }}
        >
          <MoreHorizontal size={16} aria-hidden="true" />
        </button>
      </div>
    </div>
  );
});
