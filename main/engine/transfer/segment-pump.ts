import type { Readable } from 'node:stream';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import { isUnlimited, sliceBytesFor, takeFromAll } from '../policy/rate-limiter.ts';
import { toNetworkError } from '../http/network-errors.ts';
import { overrunAfter } from '../http/overrun.ts';
import { closeBody } from '../http/request.ts';
import { bodyEnded, consume } from './consume.ts';
import type { PartFile } from './part-file.ts';
import type { RateLimiter } from './types.ts';

/**
 * Streams one response body into one segment of the .part file: the hot path.
 * The socket's buffers are gathered (no copy) and written with one `writev` per
 * batch while the next batch fills, so a connection costs one syscall per few
 * megabytes. The segment's end may move down while it runs (another connection
 * stole its second half): bytes past it are never written.
 *
 * `segment.downloaded` grows only once bytes are written; `reader.received`
 * (what came off the socket) runs ahead of it by at most two batches. However
 * the pump ends (the segment's end, a network error, an abort), the bytes it
 * received are written before it returns, and the body is closed.
 *
 * A body that ended where it said, on a connection that then received more
 * (the server sent more than it announced), fails with ERR_BODY_TOO_LONG, and
 * its bytes are taken back from `segment.downloaded`: they stay in the file,
 * unclaimed, so no resume builds on an answer that was not what it claimed.
 */

/** The live state of one connection, watched for stalls and consulted by work stealing. */
export interface Reader {
  segment: SegmentSnapshot;
  /** Absolute offset of the next byte this connection will receive. */
  received: number;
  /** performance.now() of the last byte, or of the end of a wait the transfer imposed itself. */
  lastActivityAt: number;
  /** True while the connection waits on a speed limit or the disk: silence then is not a stall. */
  heldBack: boolean;
}

export interface PumpOptions {
  file: PartFile;
  limiters: readonly RateLimiter[];
  signal: AbortSignal;
  /** Bytes gathered per write. */
  batchBytes: number;
  /** The body's announced length, when known: reading to its end keeps the connection reusable. */
  expectedBodyBytes: number | null;
  /** Sees every byte in order (incremental checksum of a sequential download). */
  onBytes?: ((bytes: Uint8Array) => void) | undefined;
  url: string;
}

export interface PumpResult {
  /** The segment reached its end. */
  complete: boolean;
  /** Body bytes read from this response. */
  consumed: number;
}

/** Slow connections still write this often, so checkpoints and resumes keep up with them. */
const MAX_BATCH_AGE_MS = 250;

export async function pumpBody(body: Readable, reader: Reader, options: PumpOptions): Promise<PumpResult> {
  const { segment } = reader;
  const { file } = options;
  let batch: Uint8Array[] = [];
  let batchSize = 0;
  let batchStart = reader.received;
  let batchStartedAt = performance.now();
  let inflight: Promise<void> | null = null;
  let writeError: unknown = null;
  let consumed = 0;
  let ended = false;
  const firstByte = reader.received;
  let complete = segment.end !== null && reader.received >= segment.end;

  const flush = async (): Promise<void> => {
    if (batchSize === 0) return;
    if (inflight !== null) await waitHeldBack(reader, inflight);
    if (writeError !== null) throw writeError;
    const buffers = batch;
    const start = batchStart;
    const size = batchSize;
    batch = [];
    batchSize = 0;
    batchStart = start + size;
    batchStartedAt = performance.now();
    inflight = file.writeAt(buffers, start).then(
      () => {
        segment.downloaded += size;
      },
      (error: unknown) => {
        writeError = error;
      },
    );
  };

  // Whichever response this is (the probe's, opened before this connection existed), aborting stops it.
  const onAbort = (): void => void body.destroy(options.signal.reason as Error);
  options.signal.addEventListener('abort', onAbort, { once: true });
  // 'abort' is never dispatched again to a listener added after it: a signal aborted already stops the body now.
  if (options.signal.aborted) onAbort();
  try {
    if (!complete) {
      const stop = (): boolean => complete && (options.expectedBodyBytes === null || consumed < options.expectedBodyBytes);
      const keep = (chunk: Uint8Array, now: number): boolean | Promise<boolean> => {
        // Read the end now, after any wait: another connection may have taken our second half meanwhile.
        let piece = chunk;
        const wanted = bytesWanted(segment, reader);
        if (piece.byteLength >= wanted) {
          piece = piece.subarray(0, wanted);
          complete = true;
        }
        if (piece.byteLength > 0) {
          options.onBytes?.(piece);
          batch.push(piece);
          batchSize += piece.byteLength;
          reader.received += piece.byteLength;
          if (batchSize >= options.batchBytes || now - batchStartedAt >= MAX_BATCH_AGE_MS) return flush().then(() => !stop());
        }
        // Stop at the segment's end, unless the body ends there anyway (then the connection stays reusable).
        return !stop();
      };
      // Under a speed limit a chunk is kept slice by slice, each as soon as its tokens are granted: a
      // limited download starts at once and flows evenly instead of in bursts of a whole socket read.
      const keepLimited = async (chunk: Uint8Array): Promise<boolean> => {
        for (let offset = 0; offset < chunk.byteLength; ) {
          const slice = Math.min(chunk.byteLength - offset, sliceBytesFor(options.limiters));
          // Speed limits count the bytes kept, not read-ahead past the segment's end that is thrown away.
          const wait = takeFromAll(options.limiters, Math.min(slice, bytesWanted(segment, reader)), options.signal);
          // Limits lifted meanwhile: the rest goes at once.
          const size = wait === null ? chunk.byteLength - offset : slice;
          if (wait !== null) await waitHeldBack(reader, wait);
          const piece = offset === 0 && size === chunk.byteLength ? chunk : chunk.subarray(offset, offset + size);
          offset += size;
          const more = await keep(piece, performance.now());
          if (!more || complete) return more;
        }
        return true;
      };
      await consume(body, (chunk) => {
        const now = performance.now();
        reader.lastActivityAt = now;
        consumed += chunk.byteLength;
        if (isUnlimited(options.limiters)) return keep(chunk, now);
        return keepLimited(chunk);
      });
      ended = bodyEnded(body);
    }
    await flush();
  } catch (error) {
    // Bytes that arrived before the failure are the file's bytes: keep them, so a retry asks only for the rest.
    await flush().catch(() => undefined);
    if (options.signal.aborted) throw options.signal.reason;
    throw toNetworkError(error, options.url);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    // Whatever ended the pump (the segment's end, an abort, a failed write), nobody reads this body any more.
    if (!body.destroyed) closeBody(body);
    // No write may outlive the pump: the caller checkpoints or closes the file next.
    if (inflight !== null) await inflight;
  }
  if (writeError !== null) throw writeError;
  if (ended) await refuseOverrun(body, reader, firstByte, options);
  return { complete: complete || (segment.end !== null && reader.received >= segment.end), consumed };
}

/** Checked once the body's bytes are on disk, which gives bytes right behind its end time to arrive. */
async function refuseOverrun(body: Readable, reader: Reader, firstByte: number, options: PumpOptions): Promise<void> {
  const overrun = await overrunAfter(body);
  if (overrun === null) return;
  reader.segment.downloaded -= reader.received - firstByte;
  reader.received = firstByte;
  const details: Record<string, unknown> = { url: options.url, expected: options.expectedBodyBytes };
  if (overrun.extraBytes !== null) details.extraBytes = overrun.extraBytes;
  throw new DownloadError(C.bodyTooLong, undefined, { details });
}

function bytesWanted(segment: SegmentSnapshot, reader: Reader): number {
  return segment.end === null ? Number.POSITIVE_INFINITY : Math.max(0, segment.end - reader.received);
}

async function waitHeldBack(reader: Reader, promise: Promise<void>): Promise<void> {
  reader.heldBack = true;
  try {
    await promise;
  } finally {
    reader.heldBack = false;
    reader.lastActivityAt = performance.now();
  }
}
