import type { Hash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DOWNLOAD_ERROR_CODES as C, DownloadError, toDownloadErrorInfo } from '../../../shared/download/errors.ts';
import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import { closeBody, header, type HttpResponse } from '../http/request.ts';
import { chooseFileName } from '../naming/choose-name.ts';
import { PART_SUFFIX, placeFinalFile, reservePartFile } from '../naming/placement.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../policy/retry.ts';
import { coversExactly, isComplete, planSegments, totalDownloaded } from '../policy/segments.ts';
import { assertChecksum, hashFile, startHash } from './checksum.ts';
import { ConnectionPool } from './connection-pool.ts';
import { PartFile } from './part-file.ts';
import { probe, RestartFromZero, type RequestSettings } from './requests.ts';
import type { RateLimiter, ResourceMetadata, TransferCallbacks, TransferJob, TransferResult } from './types.ts';

/** Consecutive start-overs after which a file that changes on every request fails instead. */
const MAX_RESTARTS = 3;

export interface SessionOptions {
  settings: RequestSettings;
  retryPolicy?: RetryPolicy;
  /** Injected in tests to pin the jitter. */
  random?: () => number;
}

/**
 * One runTransfer call: attempts, retries with backoff, start-overs when the
 * file changed, then verification and the final rename. The connections of an
 * attempt are the ConnectionPool's business.
 */
export class TransferSession {
  readonly #job: TransferJob;
  readonly #callbacks: TransferCallbacks;
  readonly #limiters: readonly RateLimiter[];
  readonly #signal: AbortSignal;
  readonly #options: SessionOptions;
  #metadata: ResourceMetadata | null = null;
  #segments: SegmentSnapshot[] = [];
  #file: PartFile | null = null;
  /** A probe is due: first attempt, or a start over (the reserved name is kept). */
  #needsProbe = true;
  /** Running checksum while every byte arrives in order from zero; null otherwise. */
  #hash: Hash | null = null;
  #checkpoints: Promise<void> = Promise.resolve();
  #lastCheckpointBytes = -1;

  constructor(job: TransferJob, callbacks: TransferCallbacks, limiters: readonly RateLimiter[], signal: AbortSignal, options: SessionOptions) {
    this.#job = job;
    this.#callbacks = callbacks;
    this.#limiters = limiters;
    this.#signal = signal;
    this.#options = options;
  }

  async run(): Promise<TransferResult> {
    try {
      await this.#loadResume();
      await this.#attemptUntilDone();
      return await this.#finish();
    } catch (error) {
      await this.#file?.close().catch(() => undefined);
      if (this.#signal.aborted) throw this.#signal.reason;
      throw error;
    }
  }

  async #loadResume(): Promise<void> {
    const resume = this.#job.resume;
    if (resume === null) return;
    this.#metadata = { ...resume.metadata };
    this.#file = await PartFile.open(resume.metadata.filePath + PART_SUFFIX);
    const total = resume.metadata.totalBytes;
    // A .part shorter than the bytes it is said to hold was truncated or replaced (or is gone): never trust it.
    const claimedEnd = Math.max(0, ...resume.segments.map((segment) => segment.start + segment.downloaded));
    const intact = (await this.#file.size()) >= claimedEnd;
    const usable = intact && resume.metadata.acceptsRanges && total !== null && coversExactly(resume.segments, total);
    if (usable) {
      this.#segments = resume.segments.map((segment) => ({ ...segment, state: segment.end === segment.start + segment.downloaded ? 'done' : 'pending' }));
      this.#needsProbe = false;
      this.#lastCheckpointBytes = totalDownloaded(this.#segments); // the store already has these
      return;
    }
    // The bytes cannot be continued (no ranges, unknown size, a broken plan): start over under the same
    // name, telling the store first, so its old segments never meet the validators of a new version.
    if (totalDownloaded(resume.segments) > 0) await this.#startOver(false);
  }

  async #attemptUntilDone(): Promise<void> {
    const policy = { ...(this.#options.retryPolicy ?? DEFAULT_RETRY_POLICY), limit: this.#job.retryLimit };
    let failures = 0;
    let restarts = 0;
    // Only bytes beyond the best position so far renew the retry budget: a download
    // that starts over each time (no ranges) would otherwise retry for ever.
    let best = totalDownloaded(this.#segments);
    for (;;) {
      try {
        await this.#attempt();
        return;
      } catch (error) {
        this.#hash = null; // bytes may now arrive out of order: verify from the file
        await this.#checkpoint().catch(() => undefined);
        if (this.#signal.aborted) throw this.#signal.reason;
        if (error instanceof RestartFromZero) {
          if (++restarts > MAX_RESTARTS) throw new DownloadError(C.resourceChanged, 'The file on the server changes with every request; it cannot be downloaded reliably.', { retryable: false });
          await this.#startOver(error.changed);
          continue;
        }
        const written = totalDownloaded(this.#segments);
        if (written > best) {
          best = written;
          failures = 0;
        }
        failures++;
        const decision = decideRetry(policy, error, failures, Date.now(), this.#options.random ?? Math.random);
        if (!decision.retry) throw error;
        this.#callbacks.onRetryScheduled({ attempt: failures, limit: policy.limit, delayMs: decision.delayMs, error: toDownloadErrorInfo(error) });
        this.#callbacks.onStateChange('retrying');
        await sleep(decision.delayMs, undefined, { signal: this.#signal }).catch(() => undefined);
        if (this.#signal.aborted) throw this.#signal.reason;
        // Without ranges the bytes so far cannot be continued.
        if (this.#metadata !== null && !this.#metadata.acceptsRanges && !this.#needsProbe) await this.#startOver(false);
      }
    }
  }

  /** Forgets the bytes on disk. The store learns "nothing on disk" before the file is truncated. */
  async #startOver(changed: boolean): Promise<void> {
    this.#segments = [];
    this.#needsProbe = true;
    await this.#callbacks.onCheckpoint([]);
    this.#lastCheckpointBytes = 0;
    if (this.#file !== null) await this.#file.setLength(0);
    if (changed) this.#callbacks.onRestartedBecauseChanged();
  }

  async #attempt(): Promise<void> {
    this.#callbacks.onStateChange('connecting');
    const pool = new ConnectionPool({
      settings: this.#options.settings,
      job: this.#job,
      limiters: this.#limiters,
      signal: this.#signal,
      onProgress: (received, segments) => this.#callbacks.onProgress(received, segments),
      onCheckpointDue: () => this.#checkpointInBackground(pool),
      onBytes: (bytes) => this.#hash?.update(bytes),
    });
    let initial = null;
    if (this.#needsProbe) {
      initial = await this.#probe(pool.signal);
    }
    this.#callbacks.onStateChange('downloading');
    await pool.run(this.#metadata as ResourceMetadata, this.#segments, this.#file as PartFile, initial);
    if (this.#metadata !== null && this.#metadata.totalBytes === null && this.#segments[0]?.end != null) {
      // A body of unknown length has ended: now its size is known.
      this.#metadata = { ...this.#metadata, totalBytes: this.#segments[0].end };
      await this.#callbacks.onMetadata(this.#metadata);
    }
    if (!isComplete(this.#segments, this.#metadata?.totalBytes ?? null)) {
      throw new DownloadError(C.protocol, undefined, { details: { reason: 'the connections ended before the file was complete' }, retryable: true });
    }
  }

  async #probe(signal: AbortSignal): Promise<{ response: HttpResponse; segment: SegmentSnapshot }> {
    const result = await probe(this.#options.settings, signal);
    const { response } = result;
    // A name reserved here but never reported would leave an orphan .part nobody knows about.
    let unreported: string | null = null;
    try {
      let fileName: string;
      let filePath: string;
      const startingOver = this.#metadata !== null;
      if (!startingOver) {
        const name = chooseFileName({
          override: this.#job.fileName,
          contentDisposition: header(response, 'content-disposition'),
          finalUrl: response.finalUrl,
          contentType: header(response, 'content-type'),
        });
        const reserved = await reservePartFile(this.#job.directory, name);
        ({ fileName, filePath } = reserved);
        unreported = filePath + PART_SUFFIX;
        this.#file = PartFile.adopt(unreported, reserved.handle);
      } else {
        ({ fileName, filePath } = this.#metadata as ResourceMetadata);
      }
      const connections = result.acceptsRanges ? this.#job.connections : 1;
      this.#metadata = { finalUrl: response.finalUrl, totalBytes: result.totalBytes, acceptsRanges: result.acceptsRanges, etag: result.etag, lastModified: result.lastModified, fileName, filePath };
      this.#segments = planSegments(result.totalBytes, connections);
      await this.#callbacks.onMetadata(this.#metadata);
      unreported = null;
      const file = this.#file as PartFile;
      // A reserved .part is new and empty; one being started over holds the old version's bytes. It is
      // not grown to the full size first: positional writes extend it, and its length is never read as
      // progress (the segments are). That spares every download a system call before its first byte.
      if (startingOver) await file.setLength(0);
      this.#needsProbe = false;
      // One connection reads the file in order from zero: hash it on the way instead of reading it again.
      this.#hash = this.#job.checksum !== null && connections === 1 ? startHash(this.#job.checksum) : null;
      return { response, segment: this.#segments[0] as SegmentSnapshot };
    } catch (error) {
      closeBody(response.body);
      if (unreported !== null) {
        await this.#file?.close().catch(() => undefined);
        await unlink(unreported).catch(() => undefined);
        this.#file = null;
        this.#metadata = null;
      }
      throw error;
    }
  }

  #checkpointInBackground(pool: ConnectionPool): void {
    this.#checkpoint().catch((error: unknown) => pool.fail(error));
  }

  /** Makes the written bytes durable, then reports them. Serialised; skipped when nothing changed. */
  #checkpoint(): Promise<void> {
    const next = this.#checkpoints.then(async () => {
      const file = this.#file;
      if (file === null || this.#needsProbe) return;
      const snapshot = this.#segments.map((segment) => ({ ...segment }));
      const bytes = totalDownloaded(snapshot);
      if (bytes === this.#lastCheckpointBytes) return;
      await file.datasync();
      await this.#callbacks.onCheckpoint(snapshot);
      this.#lastCheckpointBytes = bytes;
    });
    this.#checkpoints = next.catch(() => undefined);
    return next;
  }

  async #finish(): Promise<TransferResult> {
    const metadata = this.#metadata as ResourceMetadata;
    const file = this.#file as PartFile;
    this.#lastCheckpointBytes = -1;
    await this.#checkpoint();
    const partPath = metadata.filePath + PART_SUFFIX;
    if (this.#job.checksum !== null) {
      this.#callbacks.onStateChange('verifying');
      const actual = this.#hash !== null ? this.#hash.digest('hex') : await hashFile(partPath, this.#job.checksum, this.#signal);
      assertChecksum(this.#job.checksum, actual, partPath);
    }
    await file.close();
    if (this.#signal.aborted) throw this.#signal.reason;
    const placed = await placeFinalFile(partPath, this.#job.directory, metadata.fileName);
    return { metadata, filePath: placed.filePath, fileName: placed.fileName, bytes: metadata.totalBytes ?? 0 };
  }
}
