import { setImmediate as nextTurn } from 'node:timers/promises';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import { closeBody, type HttpResponse } from '../http/request.ts';
import { decideGrowth } from '../policy/connection-growth.ts';
import { tightestRate } from '../policy/rate-limiter.ts';
import { isRetryable } from '../policy/retry.ts';
import { bytesLeft, clampConnections, nextPending, startingConnections, stealHalf, totalDownloaded } from '../policy/segments.ts';
import { minStealBytes } from '../policy/steal-size.ts';
import { batchBytesFor } from '../policy/write-batch.ts';
import { SpeedMeter } from '../speed-meter.ts';
import type { PartFile } from './part-file.ts';
import { openRange, type RequestSettings } from './requests.ts';
import { contentLength } from './response-check.ts';
import { pumpBody, type Reader } from './segment-pump.ts';
import type { RateLimiter, ResourceMetadata, TransferJob } from './types.ts';

/**
 * The connections of one attempt. Each worker takes a pending segment, or
 * steals half of the largest remaining one, and streams it into the file.
 * A worker whose connection fails with a retryable error reconnects at once if
 * that connection delivered bytes, and otherwise leaves its segment to the
 * others (a server limiting connections per client then simply gets fewer).
 * The attempt fails when no worker is left and bytes are missing; a fatal
 * error (disk, changed file, 4xx) stops every connection at once.
 *
 * A download that is slow for what it has left (a server throttling each
 * connection) gets more workers while it runs, up to the connections allowed:
 * policy/connection-growth.ts decides, each new worker steals like a finished one.
 */

const TICK_MS = 100;
const CHECKPOINT_EVERY_MS = 1000;
/** The speed that growth decisions see: the last second, as long as the growth warm-up. */
const SPEED_WINDOW_MS = 1000;

export interface PoolOptions {
  settings: RequestSettings;
  job: TransferJob;
  limiters: readonly RateLimiter[];
  /** The transfer's signal (pause, cancel). */
  signal: AbortSignal;
  onProgress(receivedBytes: number, segments: SegmentSnapshot[]): void;
  onCheckpointDue(): void;
  onBytes(bytes: Uint8Array): void;
}

interface ActiveReader extends Reader {
  controller: AbortController;
}

/** When the attempt started and last grew, and how fast it goes. */
interface GrowthClock {
  startedAt: number;
  lastAddedAt: number;
  meter: SpeedMeter;
}

export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #controller = new AbortController();
  /** Aborted by the transfer's signal, or by a fatal error of any connection. */
  readonly signal: AbortSignal;
  readonly #readers = new Set<ActiveReader>();
  #fatal: unknown = null;
  #lastError: unknown = null;
  /** Every worker started, those added while the download runs included: run() awaits them all. */
  readonly #workers: Promise<void>[] = [];
  #liveWorkers = 0;
  /** Workers the server is known to accept: lowered when a connection fails before delivering anything. */
  #workerCeiling = Number.POSITIVE_INFINITY;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.signal = AbortSignal.any([options.signal, this.#controller.signal]);
  }

  /** Stops every connection of this attempt with `error` (a failed checkpoint, for instance). */
  fail(error: unknown): void {
    this.#fatal ??= error;
    this.#controller.abort(error);
  }

  /**
   * Downloads every missing byte of `segments` (mutated in place). `initial` is
   * the probe's response for its segment, already open.
   */
  async run(
    metadata: ResourceMetadata,
    segments: SegmentSnapshot[],
    file: PartFile,
    initial: { response: HttpResponse; segment: SegmentSnapshot } | null,
  ): Promise<void> {
    const allowed = metadata.acceptsRanges ? clampConnections(this.#options.job.connections) : 1;
    const workers = startingConnections(segments, allowed);
    const busy = new Set<SegmentSnapshot>();
    let url = this.#options.settings.url;
    let opening = initial;
    if (opening === null) {
      // Resuming: one validating request first, so a changed file costs one request, not N.
      const segment = nextPending(segments, busy);
      if (segment === null) return;
      const response = await this.#open(metadata, url, segment, segment.start + segment.downloaded, this.signal);
      opening = { response, segment };
    }
    url = opening.response.finalUrl;

    // Write batches share one memory budget among the workers; those added by growth get smaller ones.
    const batchBytes = (): number => batchBytesFor(Math.max(workers, this.#liveWorkers));
    const startedAt = performance.now();
    const growth: GrowthClock = { startedAt, lastAddedAt: startedAt, meter: new SpeedMeter({ windowMs: SPEED_WINDOW_MS }) };
    // Slow connections may cut smaller pieces (policy/steal-size.ts); growth judges splits by the same rule.
    const stealMinimum = (): number => {
      const now = performance.now();
      return minStealBytes({ bytesPerSecond: growth.meter.speed(now), connections: this.#liveWorkers, msMeasured: now - growth.startedAt });
    };
    const context: WorkerContext = { metadata, segments, file, busy, batchBytes, stealMinimum, url: () => url, acceptsRanges: metadata.acceptsRanges };
    // No reader has taken a byte yet: the bytes on disk are where the speed is measured from.
    growth.meter.record(startedAt, totalDownloaded(segments));
    const ticker = setInterval(() => this.#grow(context, allowed, growth, this.#tick(segments)), TICK_MS);
    const checkpointTicker = setInterval(() => this.#options.onCheckpointDue(), CHECKPOINT_EVERY_MS);
    try {
      this.#startWorker(context, opening);
      for (let index = 1; index < workers; index++) this.#startWorker(context, null);
      // Workers added by growth meanwhile join the list: wait until a whole pass found no new one.
      for (let awaited = 0; awaited < this.#workers.length; ) {
        const batch = this.#workers.slice(awaited);
        awaited = this.#workers.length;
        await Promise.all(batch);
      }
    } finally {
      clearInterval(ticker);
      clearInterval(checkpointTicker);
      this.#tick(segments);
    }
    if (this.#options.signal.aborted) throw this.#options.signal.reason;
    if (this.#fatal !== null) throw this.#fatal;
    const missing = segments.some((segment) => segment.end === null ? segment.state !== 'done' : segment.start + segment.downloaded < segment.end);
    if (missing) throw this.#lastError ?? new DownloadError(C.protocol, undefined, { details: { reason: 'the connections ended early' }, retryable: true });
  }

  async #open(metadata: ResourceMetadata, url: string, segment: SegmentSnapshot, from: number, signal: AbortSignal): Promise<HttpResponse> {
    return openRange(this.#options.settings, url, metadata, from, segment.end as number, signal);
  }

  #startWorker(context: WorkerContext, opening: { response: HttpResponse; segment: SegmentSnapshot } | null): void {
    this.#liveWorkers++;
    this.#workers.push(
      this.#worker(context, opening).finally(() => {
        this.#liveWorkers--;
      }),
    );
  }

  /** Adds one worker when the download is slow for what it has left (policy/connection-growth.ts). */
  #grow(context: WorkerContext, allowed: number, growth: GrowthClock, receivedBytes: number): void {
    const now = performance.now();
    growth.meter.record(now, receivedBytes);
    if (this.signal.aborted) return;
    const left = bytesLeft(context.segments, (segment) => this.#positionOf(segment));
    const verdict = decideGrowth({
      activeWorkers: this.#liveWorkers,
      allowedConnections: Math.min(allowed, this.#workerCeiling),
      acceptsRanges: context.acceptsRanges,
      bytesLeft: left.total,
      largestSegmentBytesLeft: left.largest,
      bytesPerSecond: growth.meter.speed(now),
      speedLimitBytesPerSecond: tightestRate(this.#options.limiters),
      msSinceStart: now - growth.startedAt,
      msSinceLastWorkerAdded: now - growth.lastAddedAt,
    });
    if (verdict !== 'grow') return;
    growth.lastAddedAt = now;
    // It steals half of the largest segment; should that be gone by the time it looks, it simply ends.
    this.#startWorker(context, null);
  }

  async #worker(context: WorkerContext, opening: { response: HttpResponse; segment: SegmentSnapshot } | null): Promise<void> {
    let pending = opening;
    /** The last response was read to its end: its connection goes back to the pool. */
    let reusable = false;
    for (;;) {
      if (reusable) {
        // A connection is free again one event-loop turn after its response ended; a request sent sooner
        // opens a new connection instead of reusing this one for the next (stolen) segment.
        reusable = false;
        await nextTurn();
      }
      if (this.signal.aborted) {
        if (pending) closeBody(pending.response.body);
        return;
      }
      const segment = pending?.segment ?? nextPending(context.segments, context.busy) ?? (context.acceptsRanges ? stealHalf(context.segments, context.stealMinimum(), (s) => this.#positionOf(s)) : null);
      if (segment === null) return;
      context.busy.add(segment);
      segment.state = 'active';
      const reader: ActiveReader = {
        segment,
        received: segment.start + segment.downloaded,
        lastActivityAt: performance.now(),
        heldBack: false,
        controller: new AbortController(),
      };
      this.#readers.add(reader);
      const signal = AbortSignal.any([this.signal, reader.controller.signal]);
      const startedAt = reader.received;
      try {
        const response = pending?.response ?? (await this.#open(context.metadata, context.url(), segment, reader.received, signal));
        pending = null;
        const expected = contentLength(response);
        const result = await pumpBody(response.body, reader, {
          file: context.file,
          limiters: this.#options.limiters,
          signal,
          batchBytes: context.batchBytes(),
          expectedBodyBytes: expected,
          onBytes: this.#options.onBytes,
          url: response.finalUrl,
        });
        reusable = expected !== null && result.consumed === expected;
        if (result.complete) {
          segment.state = 'done';
        } else if (segment.end === null) {
          // A body of unknown length is complete when it ends.
          segment.end = segment.start + segment.downloaded;
          segment.state = 'done';
        } else if (expected === null || result.consumed < expected || result.consumed === 0) {
          throw new DownloadError(C.bodyTooShort, undefined, {
            details: { expected: expected ?? segment.end - segment.start, received: result.consumed, url: response.finalUrl },
          });
        }
        // else: the server sent less than asked, in a well-formed answer; ask again for the rest.
      } catch (caught) {
        if (pending) closeBody(pending.response.body);
        pending = null;
        // The whole attempt is stopping (pause, cancel, another connection's fatal error): the pool reports why.
        if (this.signal.aborted) return;
        const error = reader.controller.signal.aborted ? reader.controller.signal.reason : caught;
        if (!isRetryable(error)) {
          this.fail(error);
          return;
        }
        this.#lastError = error;
        // A connection that made progress reconnects at once, if ranges let it continue where it stopped.
        if (reader.received > startedAt && context.acceptsRanges && segment.end !== null) continue;
        // Leave the segment to the others; if none is left, the attempt fails and the session retries. The
        // server may limit connections per client: growth stops at the workers still running.
        this.#workerCeiling = Math.min(this.#workerCeiling, this.#liveWorkers - 1);
        return;
      } finally {
        this.#readers.delete(reader);
        context.busy.delete(segment);
        if (segment.state === 'active') segment.state = 'pending';
      }
    }
  }

  /** Where a segment's connection really is (received bytes count as taken). */
  #positionOf(segment: SegmentSnapshot): number {
    for (const reader of this.#readers) if (reader.segment === segment) return reader.received;
    return segment.start + segment.downloaded;
  }

  /** Stops stalled connections and reports progress; returns the bytes received so far. */
  #tick(segments: SegmentSnapshot[]): number {
    const now = performance.now();
    const stallMs = this.#options.job.stallTimeoutMs;
    for (const reader of this.#readers) {
      if (!reader.heldBack && now - reader.lastActivityAt > stallMs && !reader.controller.signal.aborted) {
        reader.controller.abort(new DownloadError(C.stalled, undefined, { details: { timeoutMs: stallMs } }));
      }
    }
    let received = 0;
    const live = segments.map((segment) => {
      const position = this.#positionOf(segment);
      const downloaded = Math.max(segment.downloaded, position - segment.start);
      received += downloaded;
      return { ...segment, downloaded };
    });
    this.#options.onProgress(received, live);
    return received;
  }
}

interface WorkerContext {
  metadata: ResourceMetadata;
  segments: SegmentSnapshot[];
  file: PartFile;
  busy: Set<SegmentSnapshot>;
  batchBytes(): number;
  /** The fewest bytes a steal leaves in each half, for how fast the connections go now. */
  stealMinimum(): number;
  url(): string;
  acceptsRanges: boolean;
}
