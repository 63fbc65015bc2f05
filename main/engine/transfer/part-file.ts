import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { toFileSystemError } from './file-errors.ts';

/**
 * The `<name>.part` file a download writes into. Writes are positional (each
 * connection writes its own range), gathered (`writev` of the socket's buffers,
 * no copying) and made durable with `datasync` before progress claims them.
 * Every failure becomes a DownloadError (disk full, read-only, ...).
 */
export class PartFile {
  readonly path: string;
  readonly #handle: FileHandle;
  #closed = false;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Opens for positional writes, creating it when missing; never truncates. */
  static async open(path: string): Promise<PartFile> {
    try {
      const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
      return new PartFile(path, handle);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  /**
   * Sets the length to `bytes`. Growing makes a sparse file of the final size,
   * so positional writes from every connection land in place and a full disk
   * shows up as ENOSPC on write rather than as a corrupt file.
   */
  async setLength(bytes: number): Promise<void> {
    try {
      await this.#handle.truncate(bytes);
    } catch (error) {
      throw toFileSystemError(error, this.path);
    }
  }

  async size(): Promise<number> {
    try {
      return (await this.#handle.stat()).size;
    } catch (error) {
      throw toFileSystemError(error, this.path);
    }
  }

  /** Writes `buffers` back to back from `position`; resolves when all bytes are written. */
  async writeAt(buffers: readonly Uint8Array[], position: number): Promise<void> {
    let pending = buffers;
    let at = position;
    try {
      for (;;) {
        const { bytesWritten } = await this.#handle.writev(pending as Uint8Array[], at);
        let total = 0;
        for (const buffer of pending) total += buffer.byteLength;
        if (bytesWritten >= total) return;
        // A short write (rare: signals, some network file systems): continue with the rest.
        at += bytesWritten;
        pending = skipBytes(pending, bytesWritten);
      }
    } catch (error) {
      throw toFileSystemError(error, this.path);
    }
  }

  async datasync(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#handle.datasync();
    } catch (error) {
      throw toFileSystemError(error, this.path);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#handle.close();
    } catch (error) {
      throw toFileSystemError(error, this.path);
    }
  }
}

function skipBytes(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.byteLength) {
      skip -= buffer.byteLength;
      continue;
    }
    out.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return out;
}
