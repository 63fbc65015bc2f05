import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import type { DownloadSnapshot, DownloadState } from '../../shared/download/types.ts';

/** A download that just finished one way or the other: worth a notification. */
export interface FinishNotice {
  kind: 'completed' | 'failed';
  snapshot: DownloadSnapshot;
}

/** What the tray, the dock/taskbar progress and the power-save blocker show. */
export interface ActivitySummary {
  /** Downloads that hold the machine busy (queued, connecting, downloading, retrying, verifying). */
  active: number;
  /** Overall fraction done of active downloads; null when some size is unknown; -1 when nothing runs. */
  fraction: number | null;
  /** Bytes per second over every download. */
  speed: number;
  downloadedBytes: number;
  totalBytes: number;
}

const BUSY: ReadonlySet<DownloadState> = new Set(['queued', 'connecting', 'downloading', 'retrying', 'verifying']);

interface Tracked {
  state: DownloadState;
  downloadedBytes: number;
  totalBytes: number | null;
  speed: number;
}

/**
 * Follows downloads through bridge events to drive the desktop integration: it
 * notices transitions into completed/failed (not downloads loaded already
 * finished, so a relaunch does not notify twice) and sums up overall progress.
 */
export class DownloadActivity {
  readonly #downloads = new Map<string, Tracked>();

  /** Starts from the engine's list (at launch, after a reactor restart); notifies nothing. */
  load(snapshots: readonly DownloadSnapshot[]): void {
    this.#downloads.clear();
    for (const snapshot of snapshots) this.#downloads.set(snapshot.id, tracked(snapshot));
  }

  /** Applies one event; returns the finish notices it caused. */
  apply(event: BridgeEvent): FinishNotice[] {
    if (event.type === 'progress') {
      for (const update of event.updates) {
        const known = this.#downloads.get(update.id);
        if (!known) continue;
        Object.assign(known, { state: update.state, downloadedBytes: update.downloadedBytes, totalBytes: update.totalBytes, speed: update.speed });
      }
      return [];
    }
    if (event.type !== 'download') return [];
    const change = event.change;
    if (change.kind === 'removed') {
      this.#downloads.delete(change.id);
      return [];
    }
    const previous = this.#downloads.get(change.snapshot.id)?.state;
    const next = change.snapshot.state;
    this.#downloads.set(change.snapshot.id, tracked(change.snapshot));
    if (previous === next || change.kind === 'added') return [];
    if (next === 'completed' || next === 'failed') return [{ kind: next, snapshot: change.snapshot }];
    return [];
  }

  summary(): ActivitySummary {
    let active = 0;
    let speed = 0;
    let downloadedBytes = 0;
    let totalBytes = 0;
    let sizeUnknown = false;
    for (const download of this.#downloads.values()) {
      speed += download.speed;
      if (!BUSY.has(download.state)) continue;
      active++;
      downloadedBytes += download.downloadedBytes;
      if (download.totalBytes === null) sizeUnknown = true;
      else totalBytes += download.totalBytes;
    }
    let fraction: number | null = -1;
    if (active > 0) fraction = sizeUnknown || totalBytes === 0 ? null : Math.min(1, downloadedBytes / totalBytes);
    return { active, fraction, speed, downloadedBytes, totalBytes };
  }
}

function tracked(snapshot: DownloadSnapshot): Tracked {
  return { state: snapshot.state, downloadedBytes: snapshot.downloadedBytes, totalBytes: snapshot.totalBytes, speed: snapshot.speed };
}

/** "12.3 MB/s" style sizes for the tray tooltip. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** The tray tooltip: a glance at what is going on. */
export function describeActivity(summary: ActivitySummary): string {
  if (summary.active === 0) return 'Skein: no active downloads';
  const count = `${summary.active} active download${summary.active === 1 ? '' : 's'}`;
  const percent = summary.fraction === null || summary.fraction < 0 ? '' : `, ${Math.floor(summary.fraction * 100)}%`;
  return `Skein: ${count}${percent}, ${formatBytes(summary.speed)}/s`;
}
