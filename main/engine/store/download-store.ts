import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SegmentSnapshot, Settings } from '../../../shared/download/types.ts';
import type { DownloadRecord } from '../record.ts';
import { MIGRATIONS, migrate, StoreVersionError } from './schema.ts';
import { historyFromRow, recordFromRow, type DownloadRow, type HistoryEntry, type HistoryRow } from './rows.ts';

/** How hard a commit must hold. */
export interface WriteOptions {
  /**
   * Every commit survives a crash of the process (kill -9) at once. true (default):
   * it also survives a power cut, within the group-commit window (what the user
   * did or decided: added, paused, finished, removed). false: a power cut may
   * lose it; for what the engine can rederive (connecting, progress counters).
   * The log is sequential, so a later durable commit makes every earlier one
   * durable too.
   */
  durable?: boolean;
  /** Also record the download in the history, in the same transaction. */
  history?: boolean;
}

/**
 * The store of record: one SQLite file in WAL mode. Every write here is one
 * committed transaction, so no reader ever sees half a transition.
 */
export interface StoreOptions {
  /**
   * Durable commits within this window share one fsync (group commit): 200
   * downloads finishing together cost a few fsyncs, not 200 stalls of the event
   * loop. 0 syncs every durable commit on its own.
   */
  groupCommitMs?: number;
}

export class DownloadStore {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #groupCommitMs: number;
  /** The write-ahead log, which group syncs flush from a libuv thread; null in memory. */
  readonly #logPath: string | null;
  #log: Promise<FileHandle> | null = null;
  #syncTimer: ReturnType<typeof setTimeout> | null = null;
  #syncs = 0;

  private constructor(db: DatabaseSync, options: StoreOptions = {}, logPath: string | null = null) {
    this.#db = db;
    this.#groupCommitMs = options.groupCommitMs ?? 50;
    this.#logPath = logPath;
  }

  /** Opens (creating if needed) the store at `path`; ':memory:' for tests. */
  static open(path: string, options: StoreOptions = {}): DownloadStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    // First: every later statement (journal_mode included) waits out a reader's brief lock.
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL by default: in WAL mode a commit is then safe from a process crash
    // (kill -9); durable writes switch to FULL for their commit (see WriteOptions).
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
    return new DownloadStore(db, options, path === ':memory:' ? null : `${path}-wal`);
  }

  /**
   * Opens an existing store to read it beside a running engine (`skein list`): no
   * migration, no engine lock, writes refused (query_only). Not SQLite's read-only
   * mode: after an engine crash the log must be recovered before reading, which a
   * read-only connection cannot do (SQLITE_READONLY_RECOVERY).
   */
  static openForReading(path: string): DownloadStore {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA query_only = ON');
    const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
    if ((row?.user_version ?? 0) > MIGRATIONS.length) {
      db.close();
      throw new StoreVersionError(row?.user_version ?? 0, MIGRATIONS.length);
    }
    return new DownloadStore(db);
  }

  /** Makes every commit so far survive a power cut (one fsync of the log). */
  sync(): void {
    if (this.#syncTimer) clearTimeout(this.#syncTimer);
    this.#syncTimer = null;
    this.#db.exec('PRAGMA synchronous = FULL');
    try {
      this.#statement('INSERT OR REPLACE INTO sync_marker (id, at) VALUES (1, ?)').run(Date.now());
      this.#syncs += 1;
    } finally {
      this.#db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  /** How many group syncs ran (for tests of the batching). */
  get syncCount(): number {
    return this.#syncs;
  }

  close(): void {
    if (!this.#db.isOpen) return;
    if (this.#syncTimer) this.sync();
    this.#db.close();
    // A flush still running keeps its own reference; the handle closes once it is done.
    void this.#log?.then((handle) => handle.close()).catch(() => undefined);
    this.#log = null;
  }

  /**
   * The group sync, off the event loop: fdatasync of the log file through a
   * handle of our own, on a libuv thread, where SQLite's own sync (sync())
   * would block every download for the length of a disk flush. Any handle's
   * fdatasync flushes the file, whoever wrote it; SQLite keeps the log file in
   * place while the store is open (it deletes it only when the store closes).
   */
  async #syncInBackground(): Promise<void> {
    if (this.#logPath === null) {
      this.sync();
      return;
    }
    try {
      this.#log ??= open(this.#logPath, 'r+');
      await (await this.#log).datasync();
      this.#syncs += 1;
    } catch {
      // No log file to open (or a file system that refuses): SQLite syncs it itself.
      this.#log = null;
      if (this.#db.isOpen) this.sync();
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #transaction<T>(durable: boolean, work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = work();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    if (durable) this.#requestSync();
    return result;
  }

  #requestSync(): void {
    if (this.#groupCommitMs <= 0) {
      this.sync();
      return;
    }
    if (this.#syncTimer) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = null;
      if (this.#db.isOpen) void this.#syncInBackground();
    }, this.#groupCommitMs);
    // A pending sync must not keep a process alive; close() runs it.
    this.#syncTimer.unref?.();
  }

  /** Every download, in queue order. */
  loadAll(): DownloadRecord[] {
    const rows = this.#statement('SELECT * FROM downloads ORDER BY position, created_at').all() as unknown as DownloadRow[];
    const segmentRows = this.#statement('SELECT * FROM segments ORDER BY download_id, idx').all() as unknown as Array<{
      download_id: string;
      start: number;
      end: number | null;
      downloaded: number;
      state: SegmentSnapshot['state'];
    }>;
    const segmentsById = new Map<string, SegmentSnapshot[]>();
    for (const row of segmentRows) {
      const list = segmentsById.get(row.download_id) ?? [];
      list.push({ start: row.start, end: row.end, downloaded: row.downloaded, state: row.state });
      segmentsById.set(row.download_id, list);
    }
    return rows.map((row) => recordFromRow(row, segmentsById.get(row.id) ?? []));
  }

  /** The next free queue position (after every existing download). */
  nextPosition(): number {
    const row = this.#statement('SELECT COALESCE(MAX(position), 0) + 1 AS next FROM downloads').get() as { next: number };
    return row.next;
  }

  /** Inserts or replaces the whole record, segments included, in one transaction. */
  save(record: DownloadRecord, options: WriteOptions = {}): void {
    this.#transaction(options.durable ?? true, () => {
      this.#write(record);
      if (options.history) this.#appendHistory(record);
    });
  }

  /** Saves a batch (a multi-URL add) in one durable transaction: one fsync, not one per download. */
  saveAll(records: readonly DownloadRecord[]): void {
    this.#transaction(true, () => {
      for (const record of records) this.#write(record);
    });
  }

  #write(record: DownloadRecord): void {
    this.#statement(
      `INSERT INTO downloads (id, position, url, state, directory, file_name, file_path, options, metadata,
         downloaded_bytes, connections, speed_limit, checksum, error, retry, restarted_because_changed,
         created_at, finished_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET position = excluded.position, url = excluded.url, state = excluded.state,
         directory = excluded.directory, file_name = excluded.file_name, file_path = excluded.file_path,
         options = excluded.options, metadata = excluded.metadata, downloaded_bytes = excluded.downloaded_bytes,
         connections = excluded.connections, speed_limit = excluded.speed_limit, checksum = excluded.checksum,
         error = excluded.error, retry = excluded.retry, restarted_because_changed = excluded.restarted_because_changed,
         finished_at = excluded.finished_at, updated_at = excluded.updated_at`,
    ).run(
      record.id,
      record.position,
      record.url,
      record.state,
      record.directory,
      record.fileName,
      record.filePath,
      JSON.stringify(record.options),
      jsonOrNull(record.metadata),
      record.downloadedBytes,
      record.connections,
      record.speedLimit,
      jsonOrNull(record.checksum),
      jsonOrNull(record.error),
      jsonOrNull(record.retry),
      record.restartedBecauseChanged ? 1 : 0,
      record.createdAt,
      record.finishedAt,
      Date.now(),
    );
    this.#writeSegments(record.id, record.segments);
  }

  /**
   * Commits fsynced progress: the segments and the byte count they claim, and the
   * live state (downloading, ...), which has no commit of its own. The transfer
   * only reports offsets whose data is already flushed to disk.
   */
  saveProgress(id: string, state: DownloadRecord['state'], segments: readonly SegmentSnapshot[], downloadedBytes: number, options: Pick<WriteOptions, 'durable'> = {}): void {
    this.#transaction(options.durable ?? false, () => {
      this.#statement('UPDATE downloads SET state = ?, downloaded_bytes = ?, updated_at = ? WHERE id = ?').run(state, downloadedBytes, Date.now(), id);
      this.#writeSegments(id, segments);
    });
  }

  #writeSegments(id: string, segments: readonly SegmentSnapshot[]): void {
    this.#statement('DELETE FROM segments WHERE download_id = ?').run(id);
    const insert = this.#statement('INSERT INTO segments (download_id, idx, start, "end", downloaded, state) VALUES (?, ?, ?, ?, ?, ?)');
    segments.forEach((segment, index) => {
      insert.run(id, index, segment.start, segment.end, segment.downloaded, segment.state);
    });
  }

  delete(id: string): void {
    this.#statement('DELETE FROM downloads WHERE id = ?').run(id);
  }

  /** Records a finished download (completed, failed or cancelled) in the history; it outlives removal. */
  appendHistory(record: DownloadRecord): void {
    this.#transaction(true, () => this.#appendHistory(record));
  }

  #appendHistory(record: DownloadRecord): void {
    this.#statement(
      `INSERT OR REPLACE INTO history (id, url, final_url, file_path, total_bytes, outcome, error, created_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.id,
      record.url,
      record.metadata?.finalUrl ?? null,
      record.filePath,
      record.metadata?.totalBytes ?? null,
      record.state,
      jsonOrNull(record.error),
      record.createdAt,
      record.finishedAt ?? Date.now(),
    );
  }

  /** The newest finished downloads first. */
  history(limit = 1000): HistoryEntry[] {
    const rows = this.#statement('SELECT * FROM history ORDER BY finished_at DESC LIMIT ?').all(limit) as unknown as HistoryRow[];
    return rows.map(historyFromRow);
  }

  /** Stored settings; keys never written are absent (the engine fills in defaults). */
  loadSettings(): Partial<Settings> {
    const rows = this.#statement('SELECT key, value FROM settings').all() as unknown as Array<{ key: string; value: string }>;
    const settings: Record<string, unknown> = {};
    for (const row of rows) settings[row.key] = JSON.parse(row.value);
    return settings as Partial<Settings>;
  }

  saveSettings(settings: Partial<Settings>): void {
    this.#transaction(true, () => {
      const upsert = this.#statement('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      for (const [key, value] of Object.entries(settings)) upsert.run(key, JSON.stringify(value));
    });
  }
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
