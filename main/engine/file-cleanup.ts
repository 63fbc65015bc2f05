import { unlink } from 'node:fs/promises';
import type { DownloadRecord } from './record.ts';

/**
 * Deletes a download's partial file (and, when asked, its completed file). Only
 * files the transfer is known to have created are touched: before the server
 * answered, `filePath` is a guess that may name somebody else's file.
 */
export async function deletePartialFiles(record: DownloadRecord, options: { includeCompleted?: boolean } = {}): Promise<void> {
  if (!record.metadata) return;
  await unlinkIfPresent(`${record.filePath}.part`);
  if (options.includeCompleted && record.state === 'completed') await unlinkIfPresent(record.filePath);
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
