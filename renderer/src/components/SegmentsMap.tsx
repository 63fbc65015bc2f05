import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import styles from './SegmentsMap.module.css';

const STATE_NAMES: Record<SegmentSnapshot['state'], string> = { pending: 'waiting', active: 'downloading', done: 'done', failed: 'failed' };

/** One bar per connection over the file's length: where each segment lies and how much of it is on disk. */
export function SegmentsMap({ segments, totalBytes }: { segments: readonly SegmentSnapshot[]; totalBytes: number | null }) {
  if (segments.length === 0 || !totalBytes) {
    return <p className={styles.none}>{totalBytes ? 'No segments yet.' : 'The server did not say how big the file is, so it downloads over one connection.'}</p>;
  }
  const tally = segments.reduce<Record<string, number>>((counts, segment) => ({ ...counts, [segment.state]: (counts[segment.state] ?? 0) + 1 }), {});
  const summary = Object.entries(tally)
    .map(([state, count]) => `${count} ${STATE_NAMES[state as SegmentSnapshot['state']]}`)
    .join(', ');
  const barHeight = segments.length > 16 ? 4 : 8;
  const gap = segments.length > 16 ? 2 : 4;
  const height = segments.length * (barHeight + gap) - gap;

  return (
    <figure className={styles.figure}>
      <svg
        className={styles.map}
        role="img"
        aria-label={`${segments.length} ${segments.length === 1 ? 'segment' : 'segments'}: ${summary}`}
        viewBox={`0 0 1000 ${height}`}
        preserveAspectRatio="none"
        height={height}
      >
        {segments.map((segment, index) => {
          const start = (segment.start / totalBytes) * 1000;
          const end = ((segment.end ?? totalBytes) / totalBytes) * 1000;
          const done = Math.min(end - start, (segment.downloaded / totalBytes) * 1000);
          const y = index * (barHeight + gap);
          return (
            <g key={`${segment.start}-${index}`}>
              <rect className={styles.lane} x={0} y={y} width={1000} height={barHeight} rx={2} />
              <rect className={styles.range} x={start} y={y} width={Math.max(1, end - start)} height={barHeight} rx={2} />
              <rect className={styles.done} data-state={segment.state} x={start} y={y} width={Math.max(0, done)} height={barHeight} rx={2} />
            </g>
          );
        })}
      </svg>
      <figcaption className={styles.legend}>
        <span data-state="active">Downloading</span>
        <span data-state="done">Done</span>
        <span data-state="failed">Failed</span>
        <span data-state="pending">Waiting</span>
      </figcaption>
    </figure>
  );
}
