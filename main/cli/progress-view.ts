import type { DownloadState, ProgressUpdate } from '../../shared/download/types.ts';
import { bar, fit, formatBytes, formatDuration } from './format.ts';

/** What the CLI knows of one download between polls. */
export interface DownloadView {
  label: string;
  state: DownloadState | 'waiting';
  downloadedBytes: number;
  totalBytes: number | null;
  speed: number;
  etaSeconds: number | null;
  /** Set once the download is finished for this run (done or failed). */
  outcome: 'done' | 'failed' | null;
  /** While retrying: which attempt, of how many, and when (epoch ms). */
  retry?: { attempt: number; limit: number; nextAttemptAt: number | null } | null;
}

export function applyProgress(view: DownloadView, update: ProgressUpdate): void {
  if (view.outcome) return;
  Object.assign(view, {
    state: update.state,
    downloadedBytes: update.downloadedBytes,
    totalBytes: update.totalBytes,
    speed: update.speed,
    etaSeconds: update.etaSeconds,
  });
}

/** One terminal line per download: name, bar, percent, bytes, speed, ETA or state. */
export function renderLine(view: DownloadView, columns: number, tick: number, now = Date.now()): string {
  const fraction = view.totalBytes ? view.downloadedBytes / view.totalBytes : view.outcome === 'done' ? 1 : null;
  const percent = fraction === null ? '   ?' : `${Math.floor(fraction * 100)}%`.padStart(4);
  const bytes = `${formatBytes(view.downloadedBytes)}${view.totalBytes === null ? '' : ` / ${formatBytes(view.totalBytes)}`}`;
  let tail: string;
  if (view.outcome === 'done') tail = 'done';
  else if (view.outcome === 'failed') tail = 'failed';
  else if (view.state === 'downloading') tail = `${formatBytes(view.speed)}/s${view.etaSeconds === null ? '' : ` ETA ${formatDuration(view.etaSeconds)}`}`;
  else if (view.state === 'retrying' && view.retry) tail = retryText(view.retry, now);
  else tail = view.state;
  // Fixed-width columns, so the bar does not jump as the figures change.
  const fixed = ` ${percent} ${bytes.padEnd(21)} ${tail.padEnd(26)}`;
  const nameWidth = Math.max(8, Math.min(32, Math.floor(columns * 0.25)));
  const barWidth = Math.max(0, Math.min(40, columns - nameWidth - fixed.length - 4));
  const line = `${fit(view.label, nameWidth)} ${bar(fraction, barWidth, tick)}${fixed}`.trimEnd();
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

/** "retry 2/8 in 0:04": a stalled or refused download is being retried, not stuck. */
function retryText(retry: NonNullable<DownloadView['retry']>, now: number): string {
  const wait = retry.nextAttemptAt === null ? '' : ` in ${formatDuration(Math.max(0, (retry.nextAttemptAt - now) / 1000))}`;
  return `retry ${retry.attempt}/${retry.limit}${wait}`;
}

/**
 * Redraws one line per download in place on a terminal: moves the cursor up over
 * the previous frame and clears each line before writing it.
 */
export class TerminalProgress {
  readonly #out: NodeJS.WriteStream;
  #drawnLines = 0;
  #tick = 0;

  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
  }

  draw(views: readonly DownloadView[]): void {
    const columns = this.#out.columns || 100;
    this.#tick += 1;
    let frame = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}A` : '';
    for (const view of views) frame += `\x1b[2K\r${renderLine(view, columns, this.#tick)}\n`;
    this.#drawnLines = views.length;
    this.#out.write(frame);
  }
}

/** The line printed for a finished download when there are no bars (not a TTY, or --quiet). */
export function summaryLine(view: DownloadView, filePath: string, seconds: number): string {
  const rate = seconds > 0 ? ` (${formatBytes(Math.round(view.downloadedBytes / seconds))}/s)` : '';
  return `${filePath}  ${formatBytes(view.downloadedBytes)} in ${formatDuration(seconds)}${rate}`;
}
