import type { DownloadErrorInfo, DownloadState, SegmentSnapshot } from '../../../shared/download/types.ts';
import type { DownloadRecord } from '../record.ts';

/** A `downloads` row as SQLite returns it. */
export interface DownloadRow {
  id: string;
  position: number;
  url: string;
  state: DownloadState;
  directory: string;
  file_name: string;
  file_path: string;
  options: string;
  metadata: string | null;
  downloaded_bytes: number;
  connections: number;
  speed_limit: number;
  checksum: string | null;
  error: string | null;
  retry: string | null;
  restarted_because_changed: number;
  created_at: number;
  finished_at: number | null;
}

export interface HistoryRow {
  id: string;
  url: string;
  final_url: string | null;
  file_path: string;
  total_bytes: number | null;
  outcome: DownloadState;
  error: string | null;
  created_at: number;
  finished_at: number;
}

/** A finished download, kept after it is removed from the list. */
export interface HistoryEntry {
  id: string;
  url: string;
  finalUrl: string | null;
  filePath: string;
  totalBytes: number | null;
  outcome: DownloadState;
  error: DownloadErrorInfo | null;
  createdAt: number;
  finishedAt: number;
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function recordFromRow(row: DownloadRow, segments: SegmentSnapshot[]): DownloadRecord {
  return {
    id: row.id,
    position: row.position,
    url: row.url,
    state: row.state,
    directory: row.directory,
    fileName: row.file_name,
    filePath: row.file_path,
    options: JSON.parse(row.options) as DownloadRecord['options'],
    metadata: parse(row.metadata),
    downloadedBytes: row.downloaded_bytes,
    connections: row.connections,
    speedLimit: row.speed_limit,
    checksum: parse(row.checksum),
    segments,
    error: parse(row.error),
    retry: parse(row.retry),
    restartedBecauseChanged: row.restarted_because_changed === 1,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export function historyFromRow(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    url: row.url,
    finalUrl: row.final_url,
    filePath: row.file_path,
    totalBytes: row.total_bytes,
    outcome: row.outcome,
    error: parse(row.error),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
