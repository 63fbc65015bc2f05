import type { RateLimiter, TransferCallbacks, TransferJob, TransferResult } from './transfer/types.ts';

/**
 * What the download manager needs from the outside world, injected so the queue,
 * store and recovery logic are tested against a fake transfer and a fake limiter.
 * The reactor module wires in the real ones.
 */

/** Runs one transfer to completion (retries included); rejects with a DownloadError or the signal's reason. */
export type RunTransfer = (
  job: TransferJob,
  callbacks: TransferCallbacks,
  /** The limiters the bytes must pass: the global one and this download's own. */
  limiters: TransferLimiters,
  signal: AbortSignal,
) => Promise<TransferResult>;

/** The speed limiters of one transfer, both changeable while it runs. */
export interface TransferLimiters {
  global: RateLimiter;
  own: RateLimiter;
}

/** Makes a token bucket; 0 bytes per second means unlimited. */
export type CreateLimiter = (bytesPerSecond: number) => RateLimiter;

/** Sends an event to the host (the reactor context's emit). */
export type Emit = (topic: string, payload: unknown) => void;
