import styles from './ProgressBar.module.css';

interface ProgressBarProps {
  /** 0-100, or null when the size is unknown (the bar then pulses). */
  percent: number | null;
  tone: 'accent' | 'success' | 'warning' | 'danger' | 'neutral';
  label: string;
}

/** A thin bar that eases between updates; scaleX keeps it on the compositor. */
export function ProgressBar({ percent, tone, label }: ProgressBarProps) {
  return (
    <div
      className={styles.track}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent === null ? undefined : Math.round(percent)}
      data-tone={tone}
      data-indeterminate={percent === null || undefined}
    >
      <div className={styles.fill} style={percent === null ? undefined : { transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}
