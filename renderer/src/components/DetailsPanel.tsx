import { X } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import { errorNextStep, errorSentence, progressPercent, stateLabel, toneOf } from '../format/download-text.ts';
import { formatBytes, formatDuration, formatProgressSize, formatSpeed } from '../format/units.ts';
import { primarySelection } from '../stores/view.ts';
import { FileIcon } from './FileIcon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { ResultFacts } from './ResultFacts.tsx';
import { SegmentsMap } from './SegmentsMap.tsx';
import { SpeedGraph } from './SpeedGraph.tsx';
import { SpeedLimitEditor } from './SpeedLimitEditor.tsx';
import { rowActions } from './row-actions.ts';
import { useNow } from './use-now.ts';
import styles from './DetailsPanel.module.css';

const EMPTY: readonly number[] = [];

/** Everything about the selected download: state and next step, segments map, speed graph, and the facts. */
export function DetailsPanel() {
  const app = useApp();
  const id = useSlice('view', primarySelection);
  const download = useSlice('downloads', (state) => (id ? state.byId.get(id) : undefined));
  const host = useSlice('connection', (state) => state.appInfo?.host);
  const speeds = useSlice('speed', (state) => (id ? state.perDownload.get(id) : undefined) ?? EMPTY);
  const now = useNow(download?.state === 'retrying');
  if (!id || !download) return null;

  const percent = progressPercent(download);
  const tone = toneOf(download.state);
  const actions = rowActions(download, app, host);

  return (
    <aside className={styles.panel} aria-label={`Details of ${download.fileName}`}>
      <header className={styles.header}>
        <FileIcon fileName={download.fileName} />
        <h2 className={styles.name}>{download.fileName}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={() => app.stores.view.getState().setDetailsOpen(false)}>
          <X size={18} aria-hidden="true" />
        </button>
      </header>

      <section className={styles.section}>
        <div className={styles.stateLine}>
          <span className={styles.state} data-tone={tone}>
            {stateLabel(download, now)}
          </span>
          <span className="tabular">{percent === null ? formatBytes(download.downloadedBytes) : `${Math.floor(percent)}%`}</span>
        </div>
        <ProgressBar percent={percent} tone={tone} label={`Progress of ${download.fileName}`} />
        <div className={`${styles.numbers} tabular`}>
          <span>{formatProgressSize(download.downloadedBytes, download.totalBytes)}</span>
          {download.state === 'downloading' && (
            <span>
              {formatSpeed(download.speed)} · {download.etaSeconds === null ? 'calculating' : `${formatDuration(download.etaSeconds)} left`}
            </span>
          )}
        </div>
        {download.error && (
          <div className={styles.error} role="note" aria-label="What went wrong">
            <p>{errorSentence(download.error)}</p>
            {errorNextStep(download.error) && <p className={styles.next}>{errorNextStep(download.error)}</p>}
            <p className={styles.code}>
              {download.error.code}
              {download.error.status !== undefined ? ` · HTTP ${download.error.status}` : ''}
            </p>
          </div>
        )}
        {download.restartedBecauseChanged && (
          <p className={styles.notice}>The file changed on the server, so Skein started it again from the beginning.</p>
        )}
        <div className={styles.actions}>
          {actions.map((action) => (
            <button key={action.key} type="button" className={`button${action.danger ? ' button-danger' : ''}`} onClick={action.run}>
              <action.icon size={15} aria-hidden="true" />
              {action.label}
            </button>
          ))}
        </div>
      </section>

      <section className={styles.section} aria-labelledby="details-segments">
        <h3 id="details-segments" className={styles.heading}>
          Connections
        </h3>
        <SegmentsMap segments={download.segments} totalBytes={download.totalBytes} />
      </section>

      <section className={styles.section} aria-labelledby="details-speed">
        <h3 id="details-speed" className={styles.heading}>
          Speed
        </h3>
        <SpeedGraph samples={speeds} variant="graph" label="Speed over the last minute" />
      </section>

      <section className={styles.section} aria-labelledby="details-facts">
        <h3 id="details-facts" className={styles.heading}>
          About
        </h3>
        <dl className={styles.facts}>
          <dt>Link</dt>
          <dd className={styles.selectable}>{download.url}</dd>
          {download.finalUrl && download.finalUrl !== download.url && (
            <>
              <dt>Redirected to</dt>
              <dd className={styles.selectable}>{download.finalUrl}</dd>
            </>
          )}
          <dt>Saved as</dt>
          <dd className={styles.selectable}>{download.filePath}</dd>
          <dt>Connections</dt>
          <dd>{download.connections}</dd>
          <dt>Speed limit</dt>
          <dd>
            <SpeedLimitEditor id={download.id} limit={download.speedLimit} />
          </dd>
          {download.retry && (
            <>
              <dt>Retries</dt>
              <dd>
                {download.retry.attempt} of {download.retry.limit}
              </dd>
            </>
          )}
          <dt>Checksum</dt>
          <dd className={styles.selectable}>{download.checksum ? `${download.checksum.algorithm.toUpperCase()} ${download.checksum.hex}` : 'Not checked'}</dd>
          <dt>Added</dt>
          <dd>{new Date(download.createdAt).toLocaleString()}</dd>
          {download.finishedAt !== null && (
            <>
              <dt>Finished</dt>
              <dd>{new Date(download.finishedAt).toLocaleString()}</dd>
            </>
          )}
          <ResultFacts id={download.id} />
        </dl>
      </section>
    </aside>
  );
}
