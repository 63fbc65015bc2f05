import type {
  Checksum,
  DownloadErrorInfo,
  DownloadOptions,
  DownloadSnapshot,
  DownloadState,
  SegmentSnapshot,
} from '../../shared/download/types.ts';
import type { ResourceMetadata } from './transfer/types.ts';

/** Request details kept for every attempt (what the user asked for beyond URL and folder). */
export type StoredOptions = Pick<DownloadOptions, 'fileName' | 'headers' | 'cookies' | 'userAgent' | 'referer'>;

/**
 * A download as the store keeps it: everything needed to resume it after a
 * restart. Live-only numbers (speed, ETA) are not here; see `toSnapshot`.
 */
export interface DownloadRecord {
  id: string;
  /** Queue order: lower starts first. */
  position: number;
  url: string;
  state: DownloadState;
  directory: string;
  fileName: string;
  filePath: string;
  options: StoredOptions;
  /** What the server said, once it answered; needed for If-Range on resume. */
  metadata: ResourceMetadata | null;
  /** Bytes known to be fsynced in the `.part` file. */
  downloadedBytes: number;
  connections: number;
  speedLimit: number;
  checksum: Checksum | null;
  segments: SegmentSnapshot[];
  error: DownloadErrorInfo | null;
  retry: { attempt: number; limit: number; nextAttemptAt: number | null } | null;
  restartedBecauseChanged: boolean;
  createdAt: number;
  finishedAt: number | null;
}

export interface LiveFigures {
  downloadedBytes: number;
  segments: SegmentSnapshot[];
  speed: number;
  etaSeconds: number | null;
}

/** The plain-data view every process sees; live figures override the durable ones while running. */
/**
 * Snapshot revisions: microseconds since the epoch when the engine started, plus
 * one per snapshot, so a restarted engine continues above the one before it.
 */
let lastRevision = Date.now() * 1000;

export function toSnapshot(record: DownloadRecord, live: LiveFigures | null): DownloadSnapshot {
  lastRevision += 1;
  return {
    revision: lastRevision,
    id: record.id,
    url: record.url,
    finalUrl: record.metadata?.finalUrl ?? null,
    fileName: record.fileName,
    directory: record.directory,
    filePath: record.filePath,
    state: record.state,
    totalBytes: record.metadata?.totalBytes ?? null,
    downloadedBytes: live?.downloadedBytes ?? record.downloadedBytes,
    speed: live?.speed ?? 0,
    etaSeconds: live?.etaSeconds ?? null,
    connections: record.connections,
    speedLimit: record.speedLimit,
    segments: (live?.segments ?? record.segments).map((segment) => ({ ...segment })),
    error: record.error ? { ...record.error } : null,
    retry: record.retry ? { ...record.retry } : null,
    checksum: record.checksum ? { ...record.checksum } : null,
    restartedBecauseChanged: record.restartedBecauseChanged,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}

/** Bytes claimed by a set of segments. */
export function bytesOf(segments: readonly SegmentSnapshot[]): number {
  let total = 0;
  for (const segment of segments) total += segment.downloaded;
  return total;
}
