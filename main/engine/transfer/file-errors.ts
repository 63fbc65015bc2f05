import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';

/**
 * Turns a failed file system call into a DownloadError. Disk problems are never
 * retried by the transfer: the engine pauses the download and keeps its bytes
 * until the user has freed space or fixed the folder.
 */
export function toFileSystemError(error: unknown, path: string): DownloadError {
  if (error instanceof DownloadError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new DownloadError(C.diskFull, undefined, { cause: error, details: { path, syscallCode: code } });
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new DownloadError(C.notWritable, undefined, { cause: error, details: { path, syscallCode: code } });
    case 'ENOENT':
    case 'ENOTDIR':
      return new DownloadError(C.directoryMissing, undefined, { cause: error, details: { path, syscallCode: code } });
    default:
      return new DownloadError(C.fileSystem, undefined, {
        cause: error,
        details: { path, syscallCode: typeof code === 'string' ? code : 'unknown' },
        retryable: false,
      });
  }
}
