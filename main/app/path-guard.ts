import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import { PathNotAllowedError } from '../../shared/contract/errors.ts';
import type { DownloadSnapshot } from '../../shared/download/types.ts';

export type FileTarget = 'open' | 'show';

/**
 * Decides which file on disk openFile/showInFolder may touch for a download:
 * only the file the engine itself wrote, inside the download's own folder, after
 * resolving `..` and symbolic links. Opening needs the completed file; showing
 * accepts the partial file of an unfinished download. Throws PathNotAllowedError.
 */
export async function resolveDownloadedFile(snapshot: DownloadSnapshot, target: FileTarget): Promise<string> {
  const candidates = target === 'open' || snapshot.state === 'completed' ? [snapshot.filePath] : [snapshot.filePath, `${snapshot.filePath}.part`];
  if (target === 'open' && snapshot.state !== 'completed') {
    throw new PathNotAllowedError(`"${snapshot.fileName}" has not finished downloading`, { details: { id: snapshot.id, state: snapshot.state } });
  }
  const folder = await realFolder(snapshot);
  for (const candidate of candidates) {
    const checked = await checkedFile(candidate, folder, snapshot);
    if (checked !== null) return checked;
  }
  throw new PathNotAllowedError(`"${snapshot.fileName}" is no longer on disk`, { details: { id: snapshot.id } });
}

async function realFolder(snapshot: DownloadSnapshot): Promise<string> {
  if (!isAbsolutePath(snapshot.directory) || !isAbsolutePath(snapshot.filePath)) {
    throw new PathNotAllowedError('The download has no absolute path', { details: { id: snapshot.id } });
  }
  if (!isInside(resolve(snapshot.directory), resolve(snapshot.filePath))) {
    throw new PathNotAllowedError('The file is outside its download folder', { details: { id: snapshot.id } });
  }
  try {
    return await realpath(snapshot.directory);
  } catch (error) {
    throw new PathNotAllowedError('The download folder is gone', { cause: error, details: { id: snapshot.id } });
  }
}

/** The real path of `candidate` when it is a regular file inside `folder`; null when missing. */
async function checkedFile(candidate: string, folder: string, snapshot: DownloadSnapshot): Promise<string | null> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return null;
  }
  // A symbolic link (the file itself or a folder on the way) must not lead out of the folder.
  if (!isInside(folder, real)) {
    throw new PathNotAllowedError('The file leads outside its download folder', { details: { id: snapshot.id } });
  }
  const stats = await lstat(real);
  if (!stats.isFile()) {
    throw new PathNotAllowedError('Only regular files can be opened', { details: { id: snapshot.id } });
  }
  return real;
}

function isAbsolutePath(path: string): boolean {
  return typeof path === 'string' && path.length > 0 && !path.includes('\0') && isAbsolute(path);
}

/** True when `child` is `parent` itself or below it (case-insensitively on Windows and macOS). */
export function isInside(parent: string, child: string, platform: NodeJS.Platform = process.platform): boolean {
  const path = platform === 'win32' ? win32 : { relative, isAbsolute, sep };
  const fold = (text: string): string => (platform === 'win32' || platform === 'darwin' ? text.toLowerCase() : text);
  const between = path.relative(fold(parent), fold(child));
  if (between === '') return false;
  return !between.startsWith(`..${path.sep}`) && between !== '..' && !path.isAbsolute(between);
}
