import { createStore } from 'zustand/vanilla';
import type { DownloadSnapshot } from '../../../shared/download/types.ts';

/**
 * The last minute of speeds, one sample a second: the total for the status
 * bar's sparkline, and one series per moving download for the details panel's
 * graph. Sampling on a clock (not per progress batch) keeps the x axis honest.
 */
export const HISTORY_SECONDS = 60;

export interface SpeedHistoryState {
  total: readonly number[];
  perDownload: ReadonlyMap<string, readonly number[]>;
  sample(downloads: Iterable<DownloadSnapshot>, totalSpeed: number): void;
}

const push = (series: readonly number[] | undefined, value: number): number[] => {
  const next = series ? series.slice(-(HISTORY_SECONDS - 1)) : [];
  next.push(value);
  return next;
};

export function createSpeedHistoryStore() {
  return createStore<SpeedHistoryState>()((set, get) => ({
    total: [],
    perDownload: new Map(),
    sample(downloads, totalSpeed) {
      const previous = get().perDownload;
      const perDownload = new Map<string, readonly number[]>();
      for (const download of downloads) {
        const series = previous.get(download.id);
        // Idle downloads keep their graph but stop growing it; it ends where they stopped.
        if (download.speed > 0 || (series && download.state === 'downloading')) perDownload.set(download.id, push(series, download.speed));
        else if (series) perDownload.set(download.id, series);
      }
      set({ total: push(get().total, totalSpeed), perDownload });
    },
  }));
}

export type SpeedHistoryStore = ReturnType<typeof createSpeedHistoryStore>;
