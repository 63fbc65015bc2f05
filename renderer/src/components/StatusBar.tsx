import { useSlice } from '../app/context.tsx';
import { formatSpeed } from '../format/units.ts';
import { SpeedGraph } from './SpeedGraph.tsx';
import styles from './StatusBar.module.css';

/** Aggregate speed and counts along the bottom, with the last minute as a sparkline and the global limit. */
export function StatusBar() {
  const active = useSlice('downloads', (state) => state.activeCount);
  const speed = useSlice('downloads', (state) => state.totalSpeed);
  const queued = useSlice('downloads', (state) => state.counts.queued);
  const paused = useSlice('downloads', (state) => state.pausedCount);
  const history = useSlice('speed', (state) => state.total);
  const limit = useSlice('settings', (state) => state.settings?.globalSpeedLimit ?? 0);

  return (
    <footer className={styles.bar} aria-label="Status">
      <span className="tabular">
        <strong>{active.toLocaleString()}</strong> downloading
        {paused > 0 && <> · {paused.toLocaleString()} paused</>}
        {queued > 0 && <> · {queued.toLocaleString()} queued</>} · <strong>{formatSpeed(speed)}</strong> down
      </span>
      <SpeedGraph samples={history} variant="sparkline" label="Total speed over the last minute" />
      <span className={styles.limit}>Limit: {limit > 0 ? formatSpeed(limit) : 'none'}</span>
    </footer>
  );
}
