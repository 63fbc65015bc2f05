import { constants } from 'node:fs';
import { type FileHandle, link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import { toFileSystemError } from '../transfer/file-errors.ts';
import { numberedName } from './sanitize.ts';

/**
 * Where files land, without ever overwriting one. A download first reserves its
 * name by creating `<name>.part` exclusively (O_EXCL), so two downloads of the
 * same name in one folder never share a partial file. When complete, the .part
 * is hard-linked to the final name, which fails with EEXIST instead of replacing
 * a file that appeared meanwhile, and then unlinked.
 */

/** Give up after this many taken names: a folder full of "x (1)".."x (9999)" is a bug elsewhere. */
const MAX_CANDIDATES = 10_000;

export interface PlacedName {
  fileName: string;
  /** Absolute final path; the partial file is this plus ".part". */
  filePath: string;
}

export const PART_SUFFIX = '.part';

/** Fails with a clear error when `directory` is missing, not a folder, or not writable. */
export async function checkDirectory(directory: string): Promise<void> {
  let info;
  try {
    info = await stat(directory);
  } catch (error) {
    throw toFileSystemError(error, directory);
  }
  if (!info.isDirectory()) {
    throw new DownloadError(C.directoryMissing, undefined, { details: { path: directory, syscallCode: 'ENOTDIR' } });
  }
}

export interface ReservedPart extends PlacedName {
  /** The new, empty .part, open for reading and writing: the caller owns (and closes) it. */
  handle: FileHandle;
}

/**
 * Creates an empty `<name>.part` for the first free candidate of `fileName`
 * ("name", "name (1)", ...) whose final name and .part are both unused, and
 * hands it over open (a download writes into it next: no second open).
 */
export async function reservePartFile(directory: string, fileName: string): Promise<ReservedPart> {
  for (let n = 0; n < MAX_CANDIDATES; n++) {
    const candidate = numberedName(fileName, n);
    const filePath = join(directory, candidate);
    const partPath = filePath + PART_SUFFIX;
    // Both checks at once (one wait instead of two before every download's first byte): the .part is
    // created only if it is new, and given back at once should the final name turn out to be taken.
    const [taken, opened] = await Promise.allSettled([exists(filePath), open(partPath, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR, 0o644)]);
    if (opened.status === 'rejected') {
      if ((opened.reason as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw toFileSystemError(opened.reason, directory);
    }
    if (taken.status === 'fulfilled' && !taken.value) return { fileName: candidate, filePath, handle: opened.value };
    await opened.value.close();
    await unlink(partPath);
    if (taken.status === 'rejected') throw taken.reason;
  }
  throw new DownloadError(C.fileSystem, `No free name for "${fileName}" in ${directory}`, { details: { path: directory } });
}

/**
 * Moves the completed `<preferred>.part` to its final name, or the next free
 * numbered name if one appeared meanwhile. Never replaces an existing file.
 */
export async function placeFinalFile(partPath: string, directory: string, preferredName: string): Promise<PlacedName> {
  for (let n = 0; n < MAX_CANDIDATES; n++) {
    const fileName = numberedName(preferredName, n);
    const filePath = join(directory, fileName);
    if (filePath === partPath) continue;
    try {
      await link(partPath, filePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV' || code === 'EMLINK') {
        // No hard links here (FAT, exFAT, some network shares): claim the name with an
        // exclusive empty file, then rename over our own placeholder.
        const claimed = await claimExclusively(filePath);
        if (!claimed) continue;
        try {
          await rename(partPath, filePath);
        } catch (renameError) {
          await unlink(filePath).catch(() => undefined);
          throw toFileSystemError(renameError, filePath);
        }
        return { fileName, filePath };
      }
      throw toFileSystemError(error, filePath);
    }
    try {
      await unlink(partPath);
    } catch (error) {
      throw toFileSystemError(error, partPath);
    }
    return { fileName, filePath };
  }
  throw new DownloadError(C.fileSystem, `No free name for "${preferredName}" in ${directory}`, { details: { path: directory } });
}

async function claimExclusively(filePath: string): Promise<boolean> {
  try {
    const handle = await open(filePath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw toFileSystemError(error, filePath);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw toFileSystemError(error, path);
  }
}
