import { DOWNLOAD_ERROR_CODES as CODES, DownloadError, toDownloadErrorInfo } from '../../shared/download/errors.ts';
import type { SegmentSnapshot, Settings } from '../../shared/download/types.ts';
import type { CreateLimiter, RunTransfer } from './engine-ports.ts';
import { classifyFailure, ensureDirectory, resumeStateFor } from './disk-checks.ts';
import { bytesOf, type DownloadRecord, type LiveFigures } from './record.ts';
import { SpeedMeter, etaSeconds } from './speed-meter.ts';
import type { DownloadStore, WriteOptions } from './store/download-store.ts';
import type { RateLimiter, TransferCallbacks, TransferJob } from './transfer/types.ts';

/** Why the engine stopped a running transfer; decides the state it is left in. */
export type StopReason = 'pause' | 'cancel' | 'remove' | 'shutdown' | 'refresh' | 'requeue';

export type AttemptOutcome = { kind: 'completed' } | { kind: 'failed'; error: Error } | { kind: 'stopped'; reason: StopReason };

export interface AttemptRunnerOptions {
  store: DownloadStore;
  runTransfer: RunTransfer;
  createLimiter: CreateLimiter;
  globalLimiter: RateLimiter;
  settings: () => Settings;
  /** A durable field changed (already committed). */
  onChange(record: DownloadRecord): void;
  /** Live counters moved. */
  onProgress(id: string): void;
  /** The transfer ended; the record holds its final state (committed). */
  onSettled(record: DownloadRecord, outcome: AttemptOutcome): void;
}

interface Run {
  record: DownloadRecord;
  controller: AbortController;
  reason: StopReason | null;
  limiter: RateLimiter;
  meter: SpeedMeter;
  live: { downloadedBytes: number; segments: SegmentSnapshot[] } | null;
  done: Promise<void>;
}

/** States a stopped transfer is left in (cancel and remove are finished by the manager). */
const STATE_AFTER_STOP: Record<StopReason, DownloadRecord['state'] | null> = {
  pause: 'paused',
  cancel: null,
  remove: null,
  // Interrupted, not paused: the next start resumes it by itself.
  shutdown: 'queued',
  refresh: 'queued',
  requeue: 'queued',
};

/**
 * Runs transfers for the manager: one attempt per download at a time, each with
 * its own abort controller and limiter. It turns the transfer's callbacks into
 * committed record changes, in the order the store's guarantees need: metadata
 * before any byte is claimed, checkpoints only for fsynced data.
 */
export class AttemptRunner {
  readonly #options: AttemptRunnerOptions;
  readonly #runs = new Map<string, Run>();

  constructor(options: AttemptRunnerOptions) {
    this.#options = options;
  }

  get runningCount(): number {
    return this.#runs.size;
  }

  isRunning(id: string): boolean {
    return this.#runs.has(id);
  }

  start(record: DownloadRecord): void {
    if (this.#runs.has(record.id)) return;
    const run: Run = {
      record,
      controller: new AbortController(),
      reason: null,
      limiter: this.#options.createLimiter(record.speedLimit),
      meter: new SpeedMeter(),
      live: null,
      done: Promise.resolve(),
    };
    this.#runs.set(record.id, run);
    const queued = record.state === 'queued';
    Object.assign(record, { state: 'connecting', error: null, finishedAt: null });
    // A queued download (added, retried, resumed: each was committed as queued) is started again after a
    // crash whatever its row says, and its first response commits it anyway (onMetadata): one commit fewer
    // per download. Anything else is committed now, so a crash cannot bring back an older state.
    if (queued) this.#options.onChange(record);
    else this.#persist(run, { durable: false });
    run.done = this.#execute(run);
  }

  /** Stops a running transfer; resolves once it has settled. Null when it was not running. */
  stop(id: string, reason: StopReason): Promise<void> | null {
    const run = this.#runs.get(id);
    if (!run) return null;
    // The first reason wins: a shutdown during a pause still leaves it paused.
    run.reason ??= reason;
    run.controller.abort(new DownloadError(CODES.cancelled, `Stopped (${reason})`));
    return run.done;
  }

  async stopAll(reason: StopReason): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((id) => this.stop(id, reason)));
  }

  setSpeedLimit(id: string, bytesPerSecond: number): void {
    this.#runs.get(id)?.limiter.setRate(bytesPerSecond);
  }

  liveFigures(id: string): LiveFigures | null {
    const run = this.#runs.get(id);
    if (!run?.live) return null;
    const speed = run.meter.speed(Date.now());
    const total = run.record.metadata?.totalBytes ?? null;
    return { ...run.live, speed, etaSeconds: etaSeconds(run.live.downloadedBytes, total, speed) };
  }

  async #execute(run: Run): Promise<void> {
    const { record } = run;
    const settings = this.#options.settings();
    let outcome: AttemptOutcome;
    try {
      await ensureDirectory(record.directory, settings.downloadDirectory);
      const job = await this.#job(record, settings);
      const result = await this.#options.runTransfer(job, this.#callbacks(run), { global: this.#options.globalLimiter, own: run.limiter }, run.controller.signal);
      Object.assign(record, {
        state: 'completed',
        metadata: result.metadata,
        fileName: result.fileName,
        filePath: result.filePath,
        downloadedBytes: result.bytes,
        segments: record.segments.map((segment) => ({ ...segment, downloaded: segmentLength(segment, result.bytes), state: 'done' })),
        error: null,
        retry: null,
        finishedAt: Date.now(),
      });
      outcome = { kind: 'completed' };
    } catch (error) {
      outcome = run.reason ? { kind: 'stopped', reason: run.reason } : this.#failed(record, error);
      if (run.reason) {
        const next = STATE_AFTER_STOP[run.reason];
        if (next) Object.assign(record, { state: next, retry: null });
      }
    }
    this.#runs.delete(record.id);
    run.live = null;
    // The outcome is what the user sees after any restart: durable, with its history entry.
    this.#persist(run, { durable: true, history: record.state === 'completed' || record.state === 'failed' });
    this.#options.onSettled(record, outcome);
  }

  #failed(record: DownloadRecord, error: unknown): AttemptOutcome {
    const failure = classifyFailure(error);
    if (!(error instanceof DownloadError) && !failure.expected) {
      // Not a download failure but a bug: keep the stack for whoever reads the log.
      console.error(`skein engine: unexpected error in download ${record.id}:`, error);
    }
    const info = toDownloadErrorInfo(failure.error);
    // Disk problems pause: the bytes stay, and a retry after freeing space continues.
    if (failure.pauses) Object.assign(record, { state: 'paused', error: info, retry: null });
    else Object.assign(record, { state: 'failed', error: info, finishedAt: Date.now() });
    return { kind: 'failed', error: failure.error };
  }

  async #job(record: DownloadRecord, settings: Settings): Promise<TransferJob> {
    const resume = await resumeStateFor(record);
    // The partial file is gone (deleted by hand, or a cancel deleted it): no bytes to show either.
    if (resume === null && record.downloadedBytes > 0) Object.assign(record, { segments: [], downloadedBytes: 0 });
    return {
      url: record.url,
      directory: record.directory,
      fileName: record.options.fileName,
      connections: record.connections,
      headers: { ...record.options.headers },
      cookies: record.options.cookies,
      userAgent: record.options.userAgent,
      referer: record.options.referer,
      checksum: record.checksum,
      proxy: settings.proxy,
      retryLimit: settings.retryLimit,
      stallTimeoutMs: settings.stallTimeoutMs,
      resume,
    };
  }

  #callbacks(run: Run): TransferCallbacks {
    const { record } = run;
    const stopped = (): boolean => run.reason !== null;
    return {
      onMetadata: (metadata) => {
        Object.assign(record, { metadata, fileName: metadata.fileName, filePath: metadata.filePath });
        // Committed before any byte is claimed; the log is sequential, so a checkpoint never outlives it.
        this.#persist(run, { durable: false });
      },
      onCheckpoint: (segments) => {
        const claimed = bytesOf(segments);
        // Fewer bytes claimed means the transfer is about to overwrite or truncate: that must
        // be on disk first, or a power cut could leave the store claiming bytes that are gone.
        const durable = claimed < record.downloadedBytes;
        record.segments = segments.map((segment) => ({ ...segment }));
        record.downloadedBytes = claimed;
        if (run.reason !== 'remove') this.#options.store.saveProgress(record.id, record.state, record.segments, claimed, { durable });
      },
      onProgress: (downloadedBytes, segments) => {
        run.live = { downloadedBytes, segments };
        run.meter.record(Date.now(), downloadedBytes);
        this.#options.onProgress(record.id);
      },
      onRestartedBecauseChanged: () => {
        Object.assign(record, { restartedBecauseChanged: true, segments: [], downloadedBytes: 0 });
        run.meter.reset();
        this.#persist(run, { durable: false });
      },
      onRetryScheduled: (notice) => {
        if (stopped()) return;
        Object.assign(record, {
          state: 'retrying',
          error: notice.error,
          retry: { attempt: notice.attempt, limit: notice.limit, nextAttemptAt: Date.now() + notice.delayMs },
        });
        this.#persist(run, { durable: false });
      },
      onStateChange: (state) => {
        if (stopped() || record.state === state) return;
        record.state = state;
        // Bytes flowing again: the retry worked, so its error no longer describes the download.
        if (state === 'downloading' && record.retry) {
          Object.assign(record, { error: null, retry: { ...record.retry, nextAttemptAt: null } });
          this.#persist(run, { durable: false });
          return;
        }
        // Connecting, downloading, verifying: recovery treats them all as "interrupted, resume", so
        // the store needs no commit of its own for them (the next metadata, checkpoint or outcome
        // carries the state along); subscribers still hear of each one.
        if (run.reason !== 'remove') this.#options.onChange(record);
      },
    };
  }

  /** Commits the record and tells the manager, unless the download was removed meanwhile. */
  #persist(run: Run, options: WriteOptions): void {
    if (run.reason === 'remove') return;
    this.#options.store.save(run.record, options);
    this.#options.onChange(run.record);
  }
}

function segmentLength(segment: SegmentSnapshot, totalBytes: number): number {
  return (segment.end ?? totalBytes) - segment.start;
}
