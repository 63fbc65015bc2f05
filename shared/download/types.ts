/**
 * The download domain, as every process sees it. Snapshots are plain data:
 * they cross from the reactor to main to the renderer unchanged.
 */

export type DownloadState =
  | 'queued' // waiting for a free slot in the queue
  | 'connecting' // first request in flight
  | 'downloading'
  | 'paused' // by the user, or by the engine on a disk problem (see `error`)
  | 'retrying' // waiting out a backoff; `retry.nextAttemptAt` says until when
  | 'verifying' // checksum before the final rename
  | 'completed'
  | 'failed' // retry budget spent, or an error retries cannot fix
  | 'cancelled';

export const TERMINAL_STATES: readonly DownloadState[] = ['completed', 'failed', 'cancelled'];

export type ChecksumAlgorithm = 'sha256' | 'sha1' | 'md5';

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex digest. */
  hex: string;
}

/** What the user can choose per download; anything left out takes the setting's value. */
export interface DownloadOptions {
  /** Absolute destination folder. */
  directory?: string;
  /** Overrides the name from the server (still sanitised, still never overwrites). */
  fileName?: string;
  /** Connections for this download, 1 to 64. */
  connections?: number;
  /** Bytes per second; 0 means unlimited. */
  speedLimit?: number;
  checksum?: Checksum;
  /** Extra request headers. */
  headers?: Record<string, string>;
  cookies?: string;
  userAgent?: string;
  referer?: string;
}

export interface DownloadRequest extends DownloadOptions {
  /** An absolute http: or https: URL. */
  url: string;
}

export type SegmentState = 'pending' | 'active' | 'done' | 'failed';

export interface SegmentSnapshot {
  /** First byte offset. */
  start: number;
  /** One past the last byte; null while the size is unknown. */
  end: number | null;
  /** Bytes of this segment on disk. */
  downloaded: number;
  state: SegmentState;
}

/** The user-visible error of a download: `code` for programs, `message` for people. */
export interface DownloadErrorInfo {
  code: string;
  message: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
}

export interface DownloadSnapshot {
  id: string;
  url: string;
  /** After redirects; null before the first response. */
  finalUrl: string | null;
  fileName: string;
  directory: string;
  /** Where the completed file is (or will be); the partial file is this plus `.part`. */
  filePath: string;
  state: DownloadState;
  totalBytes: number | null;
  downloadedBytes: number;
  /** Bytes per second, moving average; 0 when not downloading. */
  speed: number;
  etaSeconds: number | null;
  connections: number;
  speedLimit: number;
  segments: SegmentSnapshot[];
  error: DownloadErrorInfo | null;
  retry: { attempt: number; limit: number; nextAttemptAt: number | null } | null;
  checksum: Checksum | null;
  /** Set when the engine had to start over because the server's file changed. */
  restartedBecauseChanged: boolean;
  createdAt: number;
  finishedAt: number | null;
  /**
   * Orders the snapshots of a download: one taken later in the engine has a
   * larger number, across reactor restarts too. A window gets snapshots both in
   * replies and in events, which can overtake each other on the way; it keeps
   * the newest.
   */
  revision: number;
}

/** One download's progress, sent in batches at most 10 times a second. */
export interface ProgressUpdate {
  id: string;
  state: DownloadState;
  downloadedBytes: number;
  totalBytes: number | null;
  speed: number;
  etaSeconds: number | null;
  segments: SegmentSnapshot[];
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  downloadDirectory: string;
  maxConcurrentDownloads: number;
  connectionsPerDownload: number;
  /** Bytes per second over all downloads; 0 means unlimited. */
  globalSpeedLimit: number;
  retryLimit: number;
  stallTimeoutMs: number;
  notifications: boolean;
  theme: Theme;
  /** http(s)://host:port, or null to use the environment (HTTPS_PROXY, ...). */
  proxy: string | null;
  openAtLogin: boolean;
}
