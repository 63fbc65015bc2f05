import type { ReactorContext } from '../reactor/context.ts';
import type { DownloadRequest, DownloadSnapshot, ProgressUpdate, Settings } from './types.ts';

/**
 * The engine's reactor functions: the named exports of main/engine/reactor-module.ts,
 * called through runInReactor(name). Main-side code types its callers with these.
 */
export interface EngineApi {
  /** Adds downloads to the queue; resolves at once with their first snapshots. */
  addDownloads(ctx: ReactorContext, requests: DownloadRequest[]): Promise<DownloadSnapshot[]>;
  /**
   * Resolves with the final snapshot when the download completes; rejects with a
   * DownloadError when it fails or is cancelled. Cancelling this call (its signal
   * aborted with CancelledError) cancels the download; the reactor stopping does not.
   */
  awaitDownload(ctx: ReactorContext, id: string, options?: AwaitOptions): Promise<DownloadSnapshot>;
  pauseDownload(ctx: ReactorContext, id: string): Promise<DownloadSnapshot>;
  resumeDownload(ctx: ReactorContext, id: string): Promise<DownloadSnapshot>;
  retryDownload(ctx: ReactorContext, id: string): Promise<DownloadSnapshot>;
  cancelDownload(ctx: ReactorContext, id: string, options: { deleteFile: boolean }): Promise<DownloadSnapshot>;
  removeDownload(ctx: ReactorContext, id: string, options: { deleteFile: boolean }): Promise<void>;
  /** Swaps in a new URL, keeping the bytes when size and validator agree. */
  refreshUrl(ctx: ReactorContext, id: string, url: string): Promise<DownloadSnapshot>;
  setDownloadSpeedLimit(ctx: ReactorContext, id: string, bytesPerSecond: number): Promise<DownloadSnapshot>;
  listDownloads(ctx: ReactorContext): Promise<DownloadSnapshot[]>;
  getDownload(ctx: ReactorContext, id: string): Promise<DownloadSnapshot>;
  pauseAll(ctx: ReactorContext): Promise<void>;
  resumeAll(ctx: ReactorContext): Promise<void>;
  getSettings(ctx: ReactorContext): Promise<Settings>;
  updateSettings(ctx: ReactorContext, patch: Partial<Settings>): Promise<Settings>;
}

export interface AwaitOptions {
  /**
   * Also settle (reject with its error) when the download pauses because of an
   * error, such as a full disk or a read-only folder. The app leaves such a
   * download paused for the user to retry; a one-shot caller (the CLI) reports
   * it as a failure of its run, without listening to every download event.
   */
  failOnErrorPause?: boolean;
}

/** Event topics the engine emits through ctx.emit. */
export const ENGINE_EVENTS = {
  /** Payload: ProgressEvent. At most 10 per second, batched over downloads. */
  progress: 'engine.progress',
  /** Payload: DownloadChangedEvent. Every state transition, addition and removal. */
  download: 'engine.download',
  /** Payload: Settings. */
  settings: 'engine.settings',
} as const;

export interface ProgressEvent {
  updates: ProgressUpdate[];
}

export type DownloadChangedEvent =
  | { kind: 'added' | 'changed'; snapshot: DownloadSnapshot }
  | { kind: 'removed'; id: string };
