import { createReadStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Checksum } from '../../shared/download/types.ts';
import { ACTIVE_STATES } from './queue-policy.ts';
import type { DownloadRecord } from './record.ts';

/** What recovery did, for logs and tests. */
export interface RecoveryReport {
  /** Interrupted downloads put back in the queue. */
  requeued: string[];
  /** Downloads whose file was already renamed into place when the process died. */
  completed: string[];
  /** Downloads whose claimed bytes were not backed by their `.part` file; they start over. */
  reset: string[];
  /**
   * Empty `.part` files matched to the download that reserved them: the process
   * died after reserving the name and before committing it. They are removed so
   * the download reserves the same name again instead of "name (1)".
   */
  matched: string[];
  /** `.part` files in download folders that no download claims; left untouched. */
  orphans: string[];
}

/**
 * Fixes up records loaded after a crash or a restart, before the queue starts.
 * It only ever changes records: files are never deleted, renamed or truncated here.
 * Bytes are trusted only when the `.part` file backs them (the transfer fsyncs
 * data before the checkpoint that claims it, so a healthy file always does).
 */
export async function recoverDownloads(
  records: readonly DownloadRecord[],
  save: (record: DownloadRecord) => void,
  signal: AbortSignal = new AbortController().signal,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: [], completed: [], reset: [], matched: [], orphans: [] };
  for (const record of records) {
    if (record.state === 'completed' || record.state === 'failed' || record.state === 'cancelled') continue;
    const wasActive = ACTIVE_STATES.has(record.state);
    let changed = false;
    if (record.metadata) {
      signal.throwIfAborted();
      const fate = await inspectFiles(record, signal);
      if (fate === 'completed') {
        Object.assign(record, { state: 'completed', downloadedBytes: record.metadata.totalBytes ?? record.downloadedBytes, error: null, retry: null, finishedAt: Date.now() });
        report.completed.push(record.id);
        save(record);
        continue;
      }
      if (fate === 'reset') {
        Object.assign(record, { segments: [], downloadedBytes: 0 });
        report.reset.push(record.id);
        changed = true;
      }
    }
    if (wasActive) {
      // Interrupted, not paused by anyone: it resumes by itself.
      Object.assign(record, { state: 'queued', retry: null });
      report.requeued.push(record.id);
      changed = true;
    }
    if (changed) save(record);
  }
  const orphans = await findOrphanParts(records);
  report.matched = await matchReservedParts(records, orphans);
  report.orphans = orphans.filter((path) => !report.matched.includes(path));
  return report;
}

/** "name (3).bin" -> "name.bin": the names the transfer tries for one preferred name. */
function withoutNumber(fileName: string): string {
  return fileName.replace(/ \(\d+\)(?=\.[^.]*$|$)/, '');
}

/**
 * Pairs empty orphan `.part` files with interrupted downloads that have no committed
 * name: same folder, created after the download was added, and named after it. An
 * empty file holds no bytes, so removing it loses nothing; anything with content,
 * or named otherwise (a browser's own .part in the same folder), is left alone.
 */
async function matchReservedParts(records: readonly DownloadRecord[], orphans: readonly string[]): Promise<string[]> {
  const unnamed = records.filter((record) => !record.metadata && record.state === 'queued');
  const matched: string[] = [];
  for (const path of orphans) {
    let info;
    try {
      info = await stat(path);
    } catch {
      continue;
    }
    if (info.size !== 0) continue;
    const name = withoutNumber(basename(path).slice(0, -'.part'.length));
    const inFolder = unnamed.filter((record) => record.directory === dirname(path) && info.mtimeMs >= record.createdAt - 1000);
    const owner = inFolder.find((record) => withoutNumber(record.fileName) === name);
    if (!owner) continue;
    await unlink(path);
    matched.push(path);
  }
  return matched;
}

type FileFate = 'resume' | 'reset' | 'completed';

async function inspectFiles(record: DownloadRecord, signal: AbortSignal): Promise<FileFate> {
  const claimedEnd = record.segments.reduce((end, segment) => Math.max(end, segment.start + segment.downloaded), 0);
  const part = await sizeOf(`${record.filePath}.part`);
  if (part !== null) return part >= claimedEnd ? 'resume' : 'reset';
  // No .part: the process may have died between the final rename and its commit.
  const total = record.metadata?.totalBytes ?? null;
  const final = await sizeOf(record.filePath);
  const wasFinishing = record.state === 'verifying' || (total !== null && record.downloadedBytes === total);
  if (final !== null && total !== null && final === total && wasFinishing) {
    if (!record.checksum || (await matchesChecksum(record.filePath, record.checksum, signal))) return 'completed';
  }
  return claimedEnd > 0 ? 'reset' : 'resume';
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/** Streams the file through the hash: a multi-gigabyte file must not be read into memory. */
export async function matchesChecksum(path: string, checksum: Checksum, signal?: AbortSignal): Promise<boolean> {
  // Loaded here, not at start: see checksum.ts.
  const hash = process.getBuiltinModule('node:crypto').createHash(checksum.algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) hash.update(chunk as Buffer);
  return hash.digest('hex') === checksum.hex.toLowerCase();
}

/** `.part` files in the folders of known downloads that match no download's path. */
async function findOrphanParts(records: readonly DownloadRecord[]): Promise<string[]> {
  const claimed = new Set(records.filter((record) => record.metadata).map((record) => `${record.filePath}.part`));
  const folders = new Set(records.map((record) => record.directory));
  for (const record of records) folders.add(dirname(record.filePath));
  const orphans: string[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      if (name.endsWith('.part') && !claimed.has(path) && basename(path) !== '.part') orphans.push(path);
    }
  }
  return orphans.sort();
}
