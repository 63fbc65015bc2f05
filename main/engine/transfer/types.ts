import type { Checksum, DownloadErrorInfo, SegmentSnapshot } from '../../../shared/download/types.ts';

/**
 * The boundary between the transfer (HTTP, segments, retries, the .part file)
 * and the rest of the engine (store, queue, recovery). The transfer never
 * touches SQLite; the store never touches sockets.
 */

/** What the server told us about the resource. Persisted so a resume can send If-Range. */
export interface ResourceMetadata {
  finalUrl: string;
  totalBytes: number | null;
  acceptsRanges: boolean;
  /** Strong ETags only; weak ones cannot validate a range. */
  etag: string | null;
  lastModified: string | null;
  /** Sanitised, unique final name chosen for this download, e.g. "report (1).pdf". */
  fileName: string;
  /** Absolute final path; the partial file is `${filePath}.part`. */
  filePath: string;
}

/** What is on disk from an earlier attempt; null for a fresh start. */
export interface ResumeState {
  metadata: ResourceMetadata;
  segments: SegmentSnapshot[];
}

export interface TransferJob {
  url: string;
  /** Absolute destination folder (must exist and be writable). */
  directory: string;
  /** User's name override; still sanitised and made unique. */
  fileName?: string;
  connections: number;
  headers: Record<string, string>;
  cookies?: string;
  userAgent?: string;
  referer?: string;
  checksum: Checksum | null;
  /** Proxy URL, or null to follow HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy: string | null;
  retryLimit: number;
  stallTimeoutMs: number;
  resume: ResumeState | null;
}

export interface RetryNotice {
  attempt: number;
  limit: number;
  delayMs: number;
  error: DownloadErrorInfo;
}

/** How the transfer reports to the engine. Awaited where it returns a promise. */
export interface TransferCallbacks {
  /**
   * The first response arrived. Persist before bytes are claimed. Called again
   * with new validators after a start over, and with the final size when a body
   * of unknown length has ended; the name and path never change once chosen.
   */
  onMetadata(metadata: ResourceMetadata): void | Promise<void>;
  /**
   * Data up to these segment offsets is on disk and fsynced. Called at most once a
   * second while bytes flow, once after a failed attempt or an abort, and once at
   * the end; the engine commits it to the store. An empty list means "nothing on
   * disk": it comes before a start over truncates the .part (and before onMetadata
   * reports the new version), so a crash in between never pairs old bytes with
   * new validators.
   */
  onCheckpoint(segments: SegmentSnapshot[]): void | Promise<void>;
  /** Live counters for progress events (not durable), about 10 times a second while connected. Counts bytes received, written or not. */
  onProgress(downloadedBytes: number, segments: SegmentSnapshot[]): void;
  /** The server's file changed since the last attempt: the transfer started over from zero. */
  onRestartedBecauseChanged(): void;
  onRetryScheduled(notice: RetryNotice): void;
  onStateChange(state: 'connecting' | 'downloading' | 'retrying' | 'verifying'): void;
}

export interface TransferResult {
  metadata: ResourceMetadata;
  /** Where the completed, verified file now is (may differ from metadata.filePath if a file appeared there meanwhile). */
  filePath: string;
  fileName: string;
  bytes: number;
}

/** Shared speed limiters: a global one and this download's own. Changeable while running. */
export interface RateLimiter {
  /** Resolves when `bytes` may be consumed. Rejects if `signal` aborts. */
  take(bytes: number, signal: AbortSignal): Promise<void>;
  setRate(bytesPerSecond: number): void;
}
