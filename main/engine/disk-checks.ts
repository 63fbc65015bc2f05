import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { DOWNLOAD_ERROR_CODES as CODES, DownloadError } from '../../shared/download/errors.ts';
import type { DownloadRecord } from './record.ts';
import type { ResumeState } from './transfer/types.ts';

/** Codes that pause a download instead of failing it: the user can fix them and continue. */
const PAUSING_CODES: ReadonlySet<string> = new Set([CODES.diskFull, CODES.notWritable, CODES.directoryMissing]);

const ERRNO_TO_CODE: Record<string, DownloadError['code']> = {
  ENOSPC: CODES.diskFull,
  EDQUOT: CODES.diskFull,
  EROFS: CODES.notWritable,
  EACCES: CODES.notWritable,
  EPERM: CODES.notWritable,
  ENOENT: CODES.directoryMissing,
};

export interface ClassifiedFailure {
  error: DownloadError;
  /** Pause with the error (keep the bytes) instead of failing. */
  pauses: boolean;
  /** A failure the engine knows (a DownloadError or a file-system errno), not a bug. */
  expected: boolean;
}

/** Maps whatever a transfer threw to the error the user sees, and whether it pauses. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof DownloadError) return { error, pauses: PAUSING_CODES.has(error.code), expected: true };
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const mapped = typeof errno === 'string' ? ERRNO_TO_CODE[errno] : undefined;
  if (mapped) {
    const path = (error as NodeJS.ErrnoException).path;
    const wrapped = new DownloadError(mapped, undefined, { cause: error, details: path ? { path } : {} });
    return { error: wrapped, pauses: PAUSING_CODES.has(mapped), expected: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: new DownloadError(CODES.fileSystem, `Something unexpected went wrong: ${message}`, { cause: error }), pauses: false, expected: false };
}

/**
 * A folder found present and writable is not checked again for this long: 200
 * downloads into one folder cost one check, not 400 system calls. A folder that
 * goes away meanwhile still fails each transfer clearly, when it opens its file.
 */
const VERIFIED_FOR_MS = 1000;
const verifiedAt = new Map<string, number>();

/**
 * Checks the destination before a transfer starts. The default download folder
 * is created when missing (a fresh account may have none); a folder the user
 * chose is not, since a missing one usually means an unplugged drive or a typo.
 */
export async function ensureDirectory(directory: string, defaultDirectory: string): Promise<void> {
  const verified = verifiedAt.get(directory);
  if (verified !== undefined && performance.now() - verified < VERIFIED_FOR_MS) return;
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) {
      throw new DownloadError(CODES.directoryMissing, `${directory} is not a folder.`, { details: { path: directory } });
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (directory !== defaultDirectory) throw new DownloadError(CODES.directoryMissing, undefined, { details: { path: directory } });
    await mkdir(directory, { recursive: true });
  }
  try {
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new DownloadError(CODES.notWritable, undefined, { cause: error, details: { path: directory } });
  }
  if (verifiedAt.size >= 256) verifiedAt.clear();
  verifiedAt.set(directory, performance.now());
}

/**
 * What the transfer may resume from. Claimed bytes are trusted only while the
 * `.part` file is there and at least as long as the furthest claimed offset;
 * otherwise the download starts afresh (into a new file, never truncating the old).
 */
export async function resumeStateFor(record: DownloadRecord): Promise<ResumeState | null> {
  if (!record.metadata) return null;
  const claimedEnd = record.segments.reduce((end, segment) => Math.max(end, segment.start + segment.downloaded), 0);
  let partSize: number | null;
  try {
    partSize = (await stat(`${record.filePath}.part`)).size;
  } catch {
    partSize = null;
  }
  if (partSize === null) return null;
  if (partSize < claimedEnd) return null;
  return { metadata: { ...record.metadata }, segments: record.segments.map((segment) => ({ ...segment })) };
}
