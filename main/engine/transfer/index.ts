import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import type { TlsOptions } from '../http/dispatchers.ts';
import { buildRequestHeaders } from '../http/headers.ts';
import { parseHttpUrl } from '../http/request.ts';
import { checkDirectory } from '../naming/placement.ts';
import type { RetryPolicy } from '../policy/retry.ts';
import { clampConnections } from '../policy/segments.ts';
import { validateChecksum } from './checksum.ts';
import { TransferSession } from './session.ts';
import type { RateLimiter, TransferCallbacks, TransferJob, TransferResult } from './types.ts';

export type { RateLimiter, ResourceMetadata, ResumeState, RetryNotice, TransferCallbacks, TransferJob, TransferResult } from './types.ts';
export { TokenBucket } from '../policy/rate-limiter.ts';
export { closeAllPools } from '../http/dispatchers.ts';
export { TRANSFER_PROCESS_FLAGS } from './process-flags.ts';
export { inspectUrl, isSameResource, type InspectedResource, type InspectOptions } from './inspect.ts';

/** Default stall timeout when a job gives none (issue 3: 30 s). */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/** Knobs for tests and benchmarks; the engine passes none. */
export interface TransferTuning {
  /** Extra trusted CAs (a test HTTPS server). Verification is never turned off. */
  tls?: TlsOptions;
  retryPolicy?: RetryPolicy;
  random?: () => number;
}

/**
 * Downloads `job.url` into `<directory>/<name>.part`, then verifies and renames it.
 *
 * - Resolves with where the file is once it is complete, verified and in place.
 * - Rejects with a DownloadError when it fails after the retry budget, or at once
 *   for errors retrying cannot fix (4xx, TLS, disk full, read-only folder,
 *   checksum mismatch: the .part is kept).
 * - Rejects with `signal.reason` when aborted: every connection stops, in-flight
 *   writes finish, and a last checkpoint reports what is on disk.
 *
 * The callbacks are the engine's window into the transfer (see types.ts); the
 * transfer itself never touches the store.
 *
 * Resuming: pass what onMetadata and the last onCheckpoint reported as
 * `job.resume`. With a different `job.url` (the engine's "refresh URL") the
 * stored validator goes to the new URL as If-Range: the bytes are kept when it
 * serves the same file, else the transfer starts over under the same name and
 * calls onRestartedBecauseChanged.
 *
 * Speed limits: `limiters.own` and `limiters.global` (TokenBucket) may change
 * rate at any time; the transfer takes from both for every slice it keeps (a
 * tenth of a second of traffic at most, see sliceBytes), and not at all while
 * both are unlimited.
 */
export async function runTransfer(
  job: TransferJob,
  callbacks: TransferCallbacks,
  limiters: { global: RateLimiter; own: RateLimiter },
  signal: AbortSignal,
  tuning: TransferTuning = {},
): Promise<TransferResult> {
  if (signal.aborted) throw signal.reason;
  parseHttpUrl(job.url);
  validateJob(job);
  const headers = buildRequestHeaders(job);
  await checkDirectory(job.directory);
  const stallTimeoutMs = job.stallTimeoutMs > 0 ? job.stallTimeoutMs : DEFAULT_STALL_TIMEOUT_MS;
  const connections = clampConnections(job.connections);
  const session = new TransferSession(
    { ...job, connections, stallTimeoutMs },
    callbacks,
    [limiters.own, limiters.global],
    signal,
    {
      settings: {
        url: job.url,
        headers,
        proxy: job.proxy,
        headersTimeoutMs: stallTimeoutMs,
        // Read-ahead per connection: 512 KiB at most, less when there are many, so 64 connections stay within memory.
        highWaterMark: Math.max(64 * 1024, Math.min(512 * 1024, Math.floor((8 * 1024 * 1024) / connections))),
        tls: tuning.tls,
      },
      ...(tuning.retryPolicy ? { retryPolicy: tuning.retryPolicy } : {}),
      ...(tuning.random ? { random: tuning.random } : {}),
    },
  );
  return session.run();
}

function validateJob(job: TransferJob): void {
  const invalid = (name: string, reason: string): DownloadError => new DownloadError(C.invalidArgument, undefined, { details: { name, reason } });
  if (!Number.isFinite(job.connections) || job.connections < 1 || job.connections > 64) throw invalid('connections', 'must be between 1 and 64');
  if (!Number.isInteger(job.retryLimit) || job.retryLimit < 0) throw invalid('retryLimit', 'must be a whole number, 0 or more');
  if (!Number.isFinite(job.stallTimeoutMs) || job.stallTimeoutMs < 0) throw invalid('stallTimeoutMs', 'must be 0 (default) or more');
  if (typeof job.directory !== 'string' || !job.directory.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(job.directory)) {
    throw invalid('directory', 'must be an absolute path');
  }
  if (job.proxy !== null) {
    let proxy: URL;
    try {
      proxy = new URL(job.proxy);
    } catch {
      throw invalid('proxy', 'must be a URL such as http://host:port');
    }
    if (!['http:', 'https:', 'socks5:'].includes(proxy.protocol)) throw invalid('proxy', 'must be an http, https or socks5 URL');
  }
  validateChecksum(job.checksum);
}
