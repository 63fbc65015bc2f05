import { isDownloadErrorCode } from '../../../shared/download/errors.ts';
import type { DownloadErrorInfo, DownloadSnapshot, DownloadState } from '../../../shared/download/types.ts';
import { formatDuration, percentOf } from './units.ts';

/**
 * The words a row shows for its state. Errors are the engine's sentence plus
 * what the person can do next; the next step is chosen here because it depends
 * on which buttons this window offers.
 */

export type StateTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

export const ACTIVE_STATES: readonly DownloadState[] = ['connecting', 'downloading', 'retrying', 'verifying'];

export function isActive(state: DownloadState): boolean {
  return ACTIVE_STATES.includes(state);
}

export function isFinished(state: DownloadState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}

export function canPause(state: DownloadState): boolean {
  return state === 'queued' || state === 'connecting' || state === 'downloading' || state === 'retrying';
}

export function canResume(state: DownloadState): boolean {
  return state === 'paused';
}

export function canRetry(state: DownloadState): boolean {
  return state === 'failed' || state === 'cancelled';
}

export function toneOf(state: DownloadState): StateTone {
  switch (state) {
    case 'completed':
      return 'success';
    case 'failed':
      return 'danger';
    case 'paused':
    case 'retrying':
      return 'warning';
    case 'connecting':
    case 'downloading':
    case 'verifying':
      return 'accent';
    default:
      return 'neutral';
  }
}

const STATE_WORDS: Record<DownloadState, string> = {
  queued: 'Queued',
  connecting: 'Connecting…',
  downloading: 'Downloading',
  paused: 'Paused',
  retrying: 'Retrying',
  verifying: 'Verifying checksum…',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function stateWord(state: DownloadState): string {
  return STATE_WORDS[state];
}

/** The error sentence and, when the engine did not give one, what to do next; null without an error. */
export function problemText(download: Pick<DownloadSnapshot, 'state' | 'error'>): string | null {
  if (!download.error || !['failed', 'paused', 'retrying'].includes(download.state)) return null;
  const next = errorNextStep(download.error);
  return next ? `${errorSentence(download.error)} ${next}` : errorSentence(download.error);
}

/** The short label under a row's progress bar when it is not busy downloading. */
export function stateLabel(download: Pick<DownloadSnapshot, 'state' | 'retry' | 'error'>, now: number): string {
  if (download.state === 'retrying' && download.retry) {
    const { attempt, limit, nextAttemptAt } = download.retry;
    const wait = nextAttemptAt === null ? null : Math.max(0, Math.ceil((nextAttemptAt - now) / 1000));
    const when = wait === null || wait === 0 ? 'now' : `in ${formatDuration(wait)}`;
    return `Retrying ${when} (attempt ${attempt} of ${limit})`;
  }
  if (download.state === 'paused' && download.error) return 'Paused: needs attention';
  return STATE_WORDS[download.state];
}

/** What went wrong, as the engine says it, ending with a full stop. */
export function errorSentence(error: DownloadErrorInfo): string {
  const text = error.message.trim() || `The download stopped (${error.code}).`;
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * The next step to suggest for an error, by its HTTP status or code family; null
 * when the engine's own sentence already says it (every engine code does, see
 * shared/download/messages.ts).
 */
export function errorNextStep(error: DownloadErrorInfo): string | null {
  if (isDownloadErrorCode(error.code)) return null;
  const code = error.code.toUpperCase();
  const status = error.status;
  if (status === 404 || status === 410) return 'Check the link, or copy a fresh one from the page you got it from.';
  if (status === 401 || status === 403 || code.includes('EXPIRED') || code.includes('FORBIDDEN')) {
    return 'The link may have expired: paste a fresh one with “Refresh link”; the bytes already here are kept.';
  }
  if (status === 429) return 'The server asked to slow down; Retry in a moment, or use fewer connections.';
  if (code.includes('CHECKSUM')) return 'The file does not match its checksum: Retry, or check the checksum you entered.';
  if (code.includes('DISK') || code.includes('SPACE') || code.includes('ENOSPC')) return 'Free some disk space, then Resume.';
  if (code.includes('PERMISSION') || code.includes('EACCES') || code.includes('EPERM')) return 'Choose a folder you can write to in Settings, then Retry.';
  if (code.includes('CANCEL')) return 'Retry to start it again.';
  if (status !== undefined && status >= 500) return 'The server is having trouble; Retry later.';
  return 'Retry, or copy the link to check it in a browser.';
}

/**
 * The bar's fill: 100 when completed, the share done when the size is known,
 * null (a moving "working" bar) only while bytes flow into a file of unknown
 * size; a stopped download of unknown size shows an empty bar, not motion.
 */
export function progressPercent(download: Pick<DownloadSnapshot, 'state' | 'downloadedBytes' | 'totalBytes'>): number | null {
  if (download.state === 'completed') return 100;
  const percent = percentOf(download.downloadedBytes, download.totalBytes);
  if (percent !== null) return percent;
  return download.state === 'downloading' || download.state === 'connecting' ? null : 0;
}
