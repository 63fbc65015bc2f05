import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import type { Checksum } from '../../../shared/download/types.ts';
import { toFileSystemError } from './file-errors.ts';

/**
 * Checksum verification before the final rename. A download that streamed
 * every byte in order from zero was hashed on the way and needs no second read;
 * anything else (segments, resumes) is hashed from the file.
 */

/** node:crypto, loaded on first use: most downloads have no checksum, and loading it costs ~8 ms at start. */
function createHash(algorithm: string): Hash {
  return process.getBuiltinModule('node:crypto').createHash(algorithm);
}

export function startHash(checksum: Checksum): Hash {
  return createHash(checksum.algorithm);
}

/** Hashes the file at `path`, abortable. */
export async function hashFile(path: string, checksum: Checksum, signal: AbortSignal): Promise<string> {
  const hash = createHash(checksum.algorithm);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toFileSystemError(error, path);
  }
  return hash.digest('hex');
}

/** Throws ERR_CHECKSUM_MISMATCH unless `actualHex` matches. */
export function assertChecksum(checksum: Checksum, actualHex: string, path: string): void {
  const expected = checksum.hex.trim().toLowerCase();
  if (actualHex.toLowerCase() === expected) return;
  throw new DownloadError(C.checksumMismatch, undefined, {
    details: { algorithm: checksum.algorithm, expected, actual: actualHex, path },
  });
}

const HEX_LENGTHS: Record<Checksum['algorithm'], number> = { sha256: 64, sha1: 40, md5: 32 };

/** Throws ERR_INVALID_ARGUMENT for an unknown algorithm or a digest of the wrong shape. */
export function validateChecksum(checksum: Checksum | null): void {
  if (checksum === null) return;
  const length = HEX_LENGTHS[checksum.algorithm];
  if (length === undefined) {
    throw new DownloadError(C.invalidArgument, undefined, { details: { name: 'checksum', reason: `unknown algorithm "${String(checksum.algorithm)}"` } });
  }
  if (!new RegExp(`^[0-9a-f]{${length}}$`, 'i').test(checksum.hex.trim())) {
    throw new DownloadError(C.invalidArgument, undefined, {
      details: { name: 'checksum', reason: `a ${checksum.algorithm} digest is ${length} hexadecimal characters` },
    });
  }
}
