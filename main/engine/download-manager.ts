import { ENGINE_EVENTS, type DownloadChangedEvent } from '../../shared/download/engine-api.ts';
import { DOWNLOAD_ERROR_CODES as CODES, DownloadError } from '../../shared/download/errors.ts';
import type { DownloadRequest, DownloadSnapshot, ProgressUpdate, Settings } from '../../shared/download/types.ts';
import { AttemptRunner, type AttemptOutcome } from './attempt-runner.ts';
import type { CreateLimiter, Emit, RunTransfer } from './engine-ports.ts';
import { FinishWaiters } from './finish-waiters.ts';
import { checkDownloadRequest, newRecord } from './requests.ts';
import { PAUSABLE_STATES, RESUMABLE_STATES, RETRYABLE_STATES, downloadsToRequeue, downloadsToStart } from './queue-policy.ts';
import { ProgressBatcher } from './progress-batcher.ts';
import { toSnapshot, type DownloadRecord } from './record.ts';
import { checkSettingsPatch, mergeStoredSettings } from './settings.ts';
import type { DownloadStore } from './store/download-store.ts';
import { deletePartialFiles } from './file-cleanup.ts';
import type { RateLimiter } from './transfer/types.ts';
import { newDownloadId } from './download-id.ts';

export interface DownloadManagerOptions {
  store: DownloadStore;
  runTransfer: RunTransfer;
  createLimiter: CreateLimiter;
  /** Defaults for settings never stored (download folder, connections, ...). */
  defaults: Settings;
  emit?: Emit;
  /** Shortest time between progress batches; 100 ms gives at most 10 a second. */
  progressIntervalMs?: number;
}

/**
 * The queue of downloads: the one owner of their records. Every transition is
 * committed to the store and emitted before anything else sees it. Transfers run
 * in AttemptRunner; this class decides what runs, when, and what an outcome means.
 */
export class DownloadManager {
  readonly #store: DownloadStore;
  readonly #runner: AttemptRunner;
  readonly #records = new Map<string, DownloadRecord>();
  readonly #waiters = new FinishWaiters();
  readonly #batcher: ProgressBatcher;
  readonly #globalLimiter: RateLimiter;
  #settings: Settings;
  readonly #emit: Emit;
  #stopping = false;

  constructor(options: DownloadManagerOptions) {
    this.#store = options.store;
    this.#emit = options.emit ?? (() => {});
    this.#settings = mergeStoredSettings(options.defaults, options.store.loadSettings());
    this.#globalLimiter = options.createLimiter(this.#settings.globalSpeedLimit);
    this.#batcher = new ProgressBatcher({
      intervalMs: options.progressIntervalMs ?? 100,
      read: (id) => this.#progressOf(id),
      send: (updates) => this.#emit(ENGINE_EVENTS.progress, { updates }),
    });
    this.#runner = new AttemptRunner({
      store: options.store,
      runTransfer: options.runTransfer,
      createLimiter: options.createLimiter,
      globalLimiter: this.#globalLimiter,
      settings: () => this.#settings,
      onChange: (record) => this.#changed(record),
      onProgress: (id) => this.#batcher.touch(id),
      onSettled: (record, outcome) => this.#settled(record, outcome),
    });
    for (const record of options.store.loadAll()) this.#records.set(record.id, record);
  }

  /** Every record as loaded, for recovery before `start()`. */
  records(): DownloadRecord[] {
    return [...this.#records.values()];
  }

  /** Starts whatever the queue allows. Call once recovery has fixed up the records. */
  start(): void {
    this.#schedule();
  }

  get settings(): Settings {
    return { ...this.#settings };
  }

  add(requests: readonly DownloadRequest[]): DownloadSnapshot[] {
    this.#assertRunning();
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new DownloadError(CODES.invalidArgument, 'Give at least one URL to download.');
    }
    // Check every request first so a batch is added whole or not at all.
    const checked = requests.map((request) => checkDownloadRequest(request));
    const now = Date.now();
    let position = this.#store.nextPosition();
    const added = checked.map((request) => newRecord(request, this.#settings, { id: newDownloadId(), position: position++, createdAt: now }));
    // One durable commit for the batch: 200 URLs cost one fsync, not 200.
    this.#store.saveAll(added);
    for (const record of added) {
      this.#records.set(record.id, record);
      this.#emitChange({ kind: 'added', snapshot: this.#snapshot(record) });
    }
    this.#schedule();
    return added.map((record) => this.#snapshot(record));
  }

  get(id: string): DownloadSnapshot {
    return this.#snapshot(this.#require(id));
  }

  list(): DownloadSnapshot[] {
    return [...this.#records.values()].sort((a, b) => a.position - b.position).map((record) => this.#snapshot(record));
  }

  /**
   * Settles when the download completes (value) or fails or is cancelled or
   * removed (DownloadError). Aborting `signal` stops waiting; `onAbort` decides
   * what that means for the download itself.
   */
  waitUntilFinished(id: string, signal: AbortSignal, options: { failOnErrorPause?: boolean } = {}): Promise<DownloadSnapshot> {
    const record = this.#require(id);
    const failOnErrorPause = options.failOnErrorPause === true;
    if (failOnErrorPause && record.state === 'paused' && record.error) return Promise.reject(errorOf(record));
    return this.#finishedOutcome(record) ?? this.#waiters.wait(id, signal, { failOnErrorPause });
  }

  pause(id: string): DownloadSnapshot {
    const record = this.#require(id);
    if (!PAUSABLE_STATES.has(record.state)) return this.#snapshot(record);
    if (!this.#runner.stop(id, 'pause')) this.#transition(record, { state: 'paused', retry: null });
    return this.#snapshot(record);
  }

  resume(id: string): DownloadSnapshot {
    const record = this.#require(id);
    if (RESUMABLE_STATES.has(record.state) || record.state === 'failed') {
      this.#transition(record, { state: 'queued', error: null, retry: null, finishedAt: null });
      this.#schedule();
    }
    return this.#snapshot(record);
  }

  retry(id: string): DownloadSnapshot {
    const record = this.#require(id);
    if (RETRYABLE_STATES.has(record.state)) {
      this.#transition(record, { state: 'queued', error: null, retry: null, finishedAt: null });
      this.#schedule();
    }
    return this.#snapshot(record);
  }

  async cancel(id: string, deleteFile: boolean): Promise<DownloadSnapshot> {
    const record = this.#require(id);
    if (record.state === 'completed' || record.state === 'cancelled') {
      if (deleteFile && record.state === 'cancelled') await deletePartialFiles(record);
      return this.#snapshot(record);
    }
    const stopped = this.#runner.stop(id, 'cancel');
    if (stopped) await stopped;
    else this.#finishCancelled(record);
    if (deleteFile) await deletePartialFiles(record);
    return this.#snapshot(record);
  }

  async remove(id: string, deleteFile: boolean): Promise<void> {
    const record = this.#require(id);
    this.#records.delete(id);
    this.#store.delete(id);
    const stopped = this.#runner.stop(id, 'remove');
    if (stopped) await stopped;
    if (record.state !== 'completed' && record.state !== 'failed' && record.state !== 'cancelled') {
      record.finishedAt = Date.now();
      record.state = 'cancelled';
      this.#store.appendHistory(record);
    }
    if (deleteFile) await deletePartialFiles(record, { includeCompleted: true });
    this.#waiters.reject(id, new DownloadError(CODES.cancelled, 'The download was removed from the list.', { details: { id } }));
    this.#emitChange({ kind: 'removed', id });
    this.#schedule();
  }

  /** Points the download at a new URL; its bytes are kept if the server's file has the same size and validator. */
  refreshUrl(id: string, url: string): DownloadSnapshot {
    const record = this.#require(id);
    const checked = checkDownloadRequest({ url });
    if (record.state === 'completed') {
      throw new DownloadError(CODES.invalidArgument, 'This download is already complete; there is nothing to refresh.', { details: { id } });
    }
    record.url = checked.url;
    if (this.#runner.stop(id, 'refresh')) {
      this.#store.save(record);
      return this.#snapshot(record);
    }
    const next = record.state === 'failed' || record.state === 'cancelled' ? 'queued' : record.state;
    this.#transition(record, { state: next, error: next === 'queued' ? null : record.error, finishedAt: null });
    this.#schedule();
    return this.#snapshot(record);
  }

  setSpeedLimit(id: string, bytesPerSecond: number): DownloadSnapshot {
    const record = this.#require(id);
    if (!Number.isInteger(bytesPerSecond) || bytesPerSecond < 0) {
      throw new DownloadError(CODES.invalidArgument, 'A speed limit is a whole number of bytes per second (0 for none).');
    }
    this.#transition(record, { speedLimit: bytesPerSecond });
    this.#runner.setSpeedLimit(id, bytesPerSecond);
    return this.#snapshot(record);
  }

  pauseAll(): void {
    for (const record of this.#records.values()) if (PAUSABLE_STATES.has(record.state)) this.pause(record.id);
  }

  resumeAll(): void {
    for (const record of this.#records.values()) {
      if (RESUMABLE_STATES.has(record.state)) this.#transition(record, { state: 'queued', error: null, retry: null });
    }
    this.#schedule();
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const check = checkSettingsPatch(patch);
    if (!check.ok) throw new DownloadError(CODES.invalidArgument, `Invalid setting: ${check.message}`);
    this.#settings = { ...this.#settings, ...check.patch };
    this.#store.saveSettings(check.patch);
    this.#globalLimiter.setRate(this.#settings.globalSpeedLimit);
    for (const id of downloadsToRequeue([...this.#records.values()], this.#settings.maxConcurrentDownloads)) {
      this.#runner.stop(id, 'requeue');
    }
    this.#emit(ENGINE_EVENTS.settings, this.settings);
    this.#schedule();
    return this.settings;
  }

  /**
   * Stops every transfer and waits for their last checkpoints; interrupted downloads
   * are stored as queued so the next start resumes them. Pending waits are left to
   * the reactor, which fails them with ReactorStoppedError.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    await this.#runner.stopAll('shutdown');
    this.#batcher.flush();
    this.#batcher.dispose();
  }

  #schedule(): void {
    if (this.#stopping) return;
    const entries = [...this.#records.values()];
    for (const id of downloadsToStart(entries, this.#runner.runningCount, this.#settings.maxConcurrentDownloads)) {
      const record = this.#records.get(id);
      if (record) this.#runner.start(record);
    }
  }

  #settled(record: DownloadRecord, outcome: AttemptOutcome): void {
    // The runner committed completed and failed outcomes with their history entry.
    if (outcome.kind === 'completed') {
      this.#waiters.resolve(record.id, this.#snapshot(record));
    } else if (outcome.kind === 'failed') {
      if (record.state === 'failed') this.#waiters.reject(record.id, outcome.error);
      // Paused by a disk problem: only the waits that asked to hear of it end.
      else if (record.state === 'paused') this.#waiters.rejectErrorPause(record.id, outcome.error);
    } else if (outcome.reason === 'cancel') {
      this.#finishCancelled(record);
    }
    this.#schedule();
  }

  #finishCancelled(record: DownloadRecord): void {
    this.#transition(record, { state: 'cancelled', finishedAt: Date.now(), retry: null }, { history: true });
    this.#waiters.reject(record.id, new DownloadError(CODES.cancelled, undefined, { details: { id: record.id } }));
  }

  /** A change the user asked for (or its outcome): committed durably, then emitted. */
  #transition(record: DownloadRecord, patch: Partial<DownloadRecord>, options: { history?: boolean } = {}): void {
    Object.assign(record, patch);
    if (!this.#records.has(record.id)) return;
    this.#store.save(record, { durable: true, history: options.history });
    this.#changed(record);
  }

  #changed(record: DownloadRecord): void {
    if (!this.#records.has(record.id)) return;
    this.#emitChange({ kind: 'changed', snapshot: this.#snapshot(record) });
  }

  #emitChange(event: DownloadChangedEvent): void {
    this.#emit(ENGINE_EVENTS.download, event);
  }

  #finishedOutcome(record: DownloadRecord): Promise<DownloadSnapshot> | null {
    if (record.state === 'completed') return Promise.resolve(this.#snapshot(record));
    if (record.state === 'failed') return Promise.reject(errorOf(record));
    if (record.state === 'cancelled') return Promise.reject(new DownloadError(CODES.cancelled, undefined, { details: { id: record.id } }));
    return null;
  }

  #snapshot(record: DownloadRecord): DownloadSnapshot {
    return toSnapshot(record, this.#runner.liveFigures(record.id));
  }

  #progressOf(id: string): ProgressUpdate | null {
    const record = this.#records.get(id);
    if (!record) return null;
    const snapshot = this.#snapshot(record);
    return {
      id,
      state: snapshot.state,
      downloadedBytes: snapshot.downloadedBytes,
      totalBytes: snapshot.totalBytes,
      speed: snapshot.speed,
      etaSeconds: snapshot.etaSeconds,
      segments: snapshot.segments,
    };
  }

  #require(id: string): DownloadRecord {
    const record = typeof id === 'string' ? this.#records.get(id) : undefined;
    if (!record) throw new DownloadError(CODES.notFound, `There is no download with id ${JSON.stringify(id)}.`, { details: { id } });
    return record;
  }

  #assertRunning(): void {
    if (this.#stopping) throw new DownloadError(CODES.invalidArgument, 'The engine is shutting down; add the download again after it restarts.');
  }
}

/** A failed record's error, as the DownloadError awaitDownload rejects with. */
export function errorOf(record: DownloadRecord): DownloadError {
  const info = record.error ?? { code: CODES.network, message: 'The download failed.' };
  const code = (Object.values(CODES) as string[]).includes(info.code) ? (info.code as DownloadError['code']) : CODES.network;
  const details: Record<string, unknown> = { id: record.id };
  if (info.status !== undefined) details.status = info.status;
  return new DownloadError(code, info.message, { details });
}
