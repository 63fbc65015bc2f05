import { formatSpeed } from '../format/units.ts';
import { HISTORY_SECONDS } from '../stores/speed-history.ts';
import styles from './SpeedGraph.module.css';

interface SpeedGraphProps {
  samples: readonly number[];
  /** Which picture: the details panel's graph or the status bar's sparkline. */
  variant: 'graph' | 'sparkline';
  label: string;
}

/** Speed over the last minute as an area; newest on the right, the axis fixed at 60 s so it scrolls left. */
export function SpeedGraph({ samples, variant, label }: SpeedGraphProps) {
  const width = variant === 'graph' ? 300 : 96;
  const height = variant === 'graph' ? 80 : 20;
  // Headroom above the peak keeps the line off the top edge.
  const peak = Math.max(1, ...samples) * 1.15;
  const step = width / (HISTORY_SECONDS - 1);
  const offset = HISTORY_SECONDS - samples.length;
  const points = samples.map((value, index) => `${((offset + index) * step).toFixed(1)},${(height - (value / peak) * (height - 2) - 1).toFixed(1)}`);
  const current = samples.at(-1) ?? 0;
  const description = samples.length === 0 ? `${label}: no data yet` : `${label}: now ${formatSpeed(current)}, peak ${formatSpeed(Math.max(0, ...samples))}`;
  const firstX = (offset * step).toFixed(1);

  return (
    <div className={styles.wrap} data-variant={variant}>
      <svg className={styles.svg} role="img" aria-label={description} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
        {variant === 'graph' && [0.25, 0.5, 0.75].map((fraction) => <line key={fraction} className={styles.grid} x1={0} x2={width} y1={height * fraction} y2={height * fraction} />)}
        {points.length > 1 && (
          <>
            <polygon className={styles.area} points={`${firstX},${height} ${points.join(' ')} ${width},${height}`} />
            <polyline className={styles.line} points={points.join(' ')} />
          </>
        )}
      </svg>
      {variant === 'graph' && (
        <div className={`${styles.axis} tabular`} aria-hidden="true">
          <span>60 s ago</span>
          <span>peak {formatSpeed(Math.max(0, ...samples))}</span>
          <span>now</span>
        </div>
      )}
    </div>
  );
}
