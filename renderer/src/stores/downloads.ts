import { createStore } from 'zustand/vanilla';
import type { DownloadChangedEvent } from '../../../shared/download/engine-api.ts';
import type { DownloadSnapshot, DownloadState, ProgressUpdate } from '../../../shared/download/types.ts';
import { isActive } from '../format/download-text.ts';

/**
 * Every download this window knows, kept current by bridge events.
 *
 * The map is updated in place and `revision` announces each change: a progress
 * batch touches up to thousands of downloads ten times a second, and copying a
 * 10,000-entry record for each would cost more than rendering. Snapshots stay
 * immutable, so a row selecting `byId.get(id)` re-renders only when its own
 * download changed. `listVersion` moves only when the set of ids, their order
 * or a state changes: what filtering and the visible list depend on.
 */

export type Filter = 'all' | 'active' | 'queued' | 'completed' | 'failed';

export const FILTERS: readonly Filter[] = ['all', 'active', 'queued', 'completed', 'failed'];

export type Counts = Record<Filter, number>;

export interface DownloadsState {
  status: 'loading' | 'ready';
  byId: ReadonlyMap<string, DownloadSnapshot>;
  /** Newest first. */
  order: readonly string[];
  revision: number;
  listVersion: number;
  counts: Counts;
  /** Downloads moving (connecting, downloading, retrying, verifying). */
  activeCount: number;
  pausedCount: number;
  /** Bytes done and known total over the moving downloads of known size: the window title's percent. */
  activeBytes: { done: number; total: number };
  /** Sum of the speeds of every download, bytes per second. */
  totalSpeed: number;
  load(snapshots: DownloadSnapshot[]): void;
  applyProgress(updates: ProgressUpdate[]): void;
  applyChange(change: DownloadChangedEvent): void;
  upsert(snapshot: DownloadSnapshot): void;
}

export function matchesFilter(state: DownloadState, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return isActive(state) || state === 'paused';
    case 'queued':
      return state === 'queued';
    case 'completed':
      return state === 'completed';
    case 'failed':
      return state === 'failed' || state === 'cancelled';
  }
}

function summarise(byId: ReadonlyMap<string, DownloadSnapshot>): Pick<DownloadsState, 'counts' | 'activeCount' | 'pausedCount' | 'activeBytes' | 'totalSpeed'> {
  const counts: Counts = { all: 0, active: 0, queued: 0, completed: 0, failed: 0 };
  let activeCount = 0;
  let pausedCount = 0;
  const activeBytes = { done: 0, total: 0 };
  let totalSpeed = 0;
  for (const download of byId.values()) {
    counts.all += 1;
    if (matchesFilter(download.state, 'active')) counts.active += 1;
    else if (download.state === 'queued') counts.queued += 1;
    else if (download.state === 'completed') counts.completed += 1;
    else counts.failed += 1;
    if (isActive(download.state)) {
      activeCount += 1;
      if (download.totalBytes !== null) {
        activeBytes.done += download.downloadedBytes;
        activeBytes.total += download.totalBytes;
      }
    } else if (download.state === 'paused') pausedCount += 1;
    totalSpeed += download.speed;
  }
  return { counts, activeCount, pausedCount, activeBytes, totalSpeed };
}

const newestFirst = (a: DownloadSnapshot, b: DownloadSnapshot): number => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

export function createDownloadsStore() {
  const byId = new Map<string, DownloadSnapshot>();

  return createStore<DownloadsState>()((set, get) => {
    const publish = (listChanged: boolean, order?: readonly string[]) => {
      const { revision, listVersion } = get();
      set({
        ...summarise(byId),
        revision: revision + 1,
        listVersion: listChanged ? listVersion + 1 : listVersion,
        ...(order ? { order } : {}),
      });
    };

    const insertId = (snapshot: DownloadSnapshot): readonly string[] => {
      const order = get().order.slice();
      let at = order.findIndex((id) => {
        const other = byId.get(id);
        return other !== undefined && newestFirst(snapshot, other) < 0;
      });
      if (at < 0) at = order.length;
      order.splice(at, 0, snapshot.id);
      return order;
    };

    return {
      status: 'loading',
      byId,
      order: [],
      revision: 0,
      listVersion: 0,
      counts: { all: 0, active: 0, queued: 0, completed: 0, failed: 0 },
      activeCount: 0,
      pausedCount: 0,
      activeBytes: { done: 0, total: 0 },
      totalSpeed: 0,

      load(snapshots) {
        byId.clear();
        for (const snapshot of snapshots) byId.set(snapshot.id, snapshot);
        const order = [...byId.values()].sort(newestFirst).map((download) => download.id);
        set({ status: 'ready' });
        publish(true, order);
      },

      applyProgress(updates) {
        let listChanged = false;
        let touched = false;
        for (const update of updates) {
          const current = byId.get(update.id);
          if (!current) continue;
          if (current.state !== update.state) listChanged = true;
          byId.set(update.id, {
            ...current,
            state: update.state,
            downloadedBytes: update.downloadedBytes,
            totalBytes: update.totalBytes,
            speed: update.speed,
            etaSeconds: update.etaSeconds,
            segments: update.segments,
          });
          touched = true;
        }
        if (touched) publish(listChanged);
      },

      applyChange(change) {
        if (change.kind === 'removed') {
          if (!byId.delete(change.id)) return;
          publish(true, get().order.filter((id) => id !== change.id));
          return;
        }
        get().upsert(change.snapshot);
      },

      upsert(snapshot) {
        const current = byId.get(snapshot.id);
        // A reply can arrive after the events that overtook it: never go back to an older snapshot.
        if (current && current.revision > snapshot.revision) return;
        byId.set(snapshot.id, snapshot);
        if (!current) {
          publish(true, insertId(snapshot));
          return;
        }
        const listChanged = current.state !== snapshot.state || current.fileName !== snapshot.fileName;
        publish(listChanged);
      },
    };
  });
}

export type DownloadsStore = ReturnType<typeof createDownloadsStore>;

/** Ids in `order` that pass the filter and whose name or URL contains the query. */
export function visibleIds(state: Pick<DownloadsState, 'byId' | 'order'>, filter: Filter, query: string): string[] {
  const needle = query.trim().toLowerCase();
  const ids: string[] = [];
  for (const id of state.order) {
    const download = state.byId.get(id);
    if (!download || !matchesFilter(download.state, filter)) continue;
    if (needle && !download.fileName.toLowerCase().includes(needle) && !download.url.toLowerCase().includes(needle)) continue;
    ids.push(id);
  }
  return ids;
}
