import type { DownloadState } from '../../shared/download/types.ts';

/**
 * Which downloads occupy a slot of the queue and which may start next.
 * Data plus pure functions, so ordering and limits are tested without I/O.
 */

/** States in which a download holds one of the concurrent slots. */
export const ACTIVE_STATES: ReadonlySet<DownloadState> = new Set(['connecting', 'downloading', 'retrying', 'verifying']);

/** States from which a user can pause. */
export const PAUSABLE_STATES: ReadonlySet<DownloadState> = new Set(['queued', 'connecting', 'downloading', 'retrying']);

/** States from which `resume` puts a download back in the queue. */
export const RESUMABLE_STATES: ReadonlySet<DownloadState> = new Set(['paused']);

/** States from which `retry` starts again (keeping bytes when the server's file is unchanged). */
export const RETRYABLE_STATES: ReadonlySet<DownloadState> = new Set(['failed', 'cancelled', 'paused']);

export interface QueueEntry {
  id: string;
  state: DownloadState;
  position: number;
  createdAt: number;
}

/**
 * The queued downloads to start now, in queue order (position, then age), given
 * how many run already and the concurrency limit.
 */
export function downloadsToStart(entries: readonly QueueEntry[], running: number, limit: number): string[] {
  const free = Math.max(0, limit - running);
  if (free === 0) return [];
  return entries
    .filter((entry) => entry.state === 'queued')
    .sort((a, b) => a.position - b.position || a.createdAt - b.createdAt)
    .slice(0, free)
    .map((entry) => entry.id);
}

/**
 * When the limit shrinks below what runs, the latest-in-queue downloads go back
 * to waiting so the earliest keep their connections.
 */
export function downloadsToRequeue(entries: readonly QueueEntry[], limit: number): string[] {
  const running = entries
    .filter((entry) => ACTIVE_STATES.has(entry.state))
    .sort((a, b) => a.position - b.position || a.createdAt - b.createdAt);
  return running.slice(Math.max(0, limit)).map((entry) => entry.id);
}
