import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadRecord } from '../record.ts';
import { DownloadStore } from './download-store.ts';
import { MIGRATIONS } from './schema.ts';

let root: string;
let path: string;

function record(overrides: Partial<DownloadRecord> = {}): DownloadRecord {
  return {
    id: 'd1',
    position: 1,
    url: 'http://127.0.0.1/file.iso',
    state: 'downloading',
    directory: '/downloads',
    fileName: 'file.iso',
    filePath: '/downloads/file.iso',
    options: { headers: { 'X-Token': 'abc' }, cookies: 'a=b' },
    metadata: {
      finalUrl: 'http://127.0.0.1/file.iso',
      totalBytes: 2000,
      acceptsRanges: true,
      etag: '"e1"',
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
      fileName: 'file.iso',
      filePath: '/downloads/file.iso',
    },
    downloadedBytes: 0,
    connections: 8,
    speedLimit: 0,
    checksum: { algorithm: 'sha256', hex: 'ab'.repeat(32) },
    segments: [
      { start: 0, end: 1000, downloaded: 0, state: 'active' },
      { start: 1000, end: 2000, downloaded: 0, state: 'pending' },
    ],
    error: null,
    retry: null,
    restartedBecauseChanged: false,
    createdAt: 1_700_000_000_000,
    finishedAt: null,
    ...overrides,
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'skein-store-'));
  path = join(root, 'nested', 'skein.sqlite');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the download store', () => {
  it('keeps every field of a download across a reopen, segments in order', () => {
    const store = DownloadStore.open(path);
    const saved = record();
    store.save(saved);
    store.close();
    const reopened = DownloadStore.open(path);
    expect(reopened.loadAll()).toEqual([saved]);
    reopened.close();
  });

  it('commits progress and the live state without touching the rest of the record', () => {
    const store = DownloadStore.open(path);
    store.save(record({ state: 'connecting' }));
    store.saveProgress('d1', 'downloading', [
      { start: 0, end: 1000, downloaded: 1000, state: 'done' },
      { start: 1000, end: 2000, downloaded: 250, state: 'active' },
    ], 1250);
    const [loaded] = store.loadAll();
    expect(loaded!.downloadedBytes).toBe(1250);
    expect(loaded!.segments.map((segment) => segment.downloaded)).toEqual([1000, 250]);
    expect(loaded!.state).toBe('downloading');
    store.close();
  });

  it('runs in WAL mode, at the newest schema version', () => {
    DownloadStore.open(path).close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    db.close();
  });

  it('makes durable commits that come together share one fsync, and syncs what is pending on close', async () => {
    const store = DownloadStore.open(path, { groupCommitMs: 30 });
    for (let index = 0; index < 10; index += 1) store.save(record({ id: `d${index}`, position: index }));
    expect(store.syncCount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.syncCount).toBe(1);
    store.saveProgress('d1', 'downloading', [], 0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.syncCount).toBe(1);
    store.save(record({ id: 'late', position: 20 }));
    store.close();
    expect(store.syncCount).toBe(2);
    const immediate = DownloadStore.open(path, { groupCommitMs: 0 });
    immediate.save(record({ id: 'now', position: 21 }));
    expect(immediate.syncCount).toBe(1);
    immediate.close();
  });

  it('refuses a store written by a newer Skein instead of damaging it', () => {
    DownloadStore.open(path).close();
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => DownloadStore.open(path)).toThrow(expect.objectContaining({ code: 'ERR_STORE_TOO_NEW' }));
  });

  it('keeps settings as typed values and merges later writes', () => {
    const store = DownloadStore.open(path);
    store.saveSettings({ maxConcurrentDownloads: 2, proxy: null });
    store.saveSettings({ globalSpeedLimit: 1_000_000, maxConcurrentDownloads: 3 });
    expect(store.loadSettings()).toEqual({ maxConcurrentDownloads: 3, proxy: null, globalSpeedLimit: 1_000_000 });
    store.close();
  });

  it('keeps the history of a finished download after it is deleted, segments going with the row', () => {
    const store = DownloadStore.open(path);
    const done = record({ state: 'completed', finishedAt: 1_700_000_100_000 });
    store.save(done);
    store.appendHistory(done);
    store.delete('d1');
    expect(store.loadAll()).toEqual([]);
    expect(store.history()).toEqual([
      {
        id: 'd1',
        url: done.url,
        finalUrl: done.metadata!.finalUrl,
        filePath: done.filePath,
        totalBytes: 2000,
        outcome: 'completed',
        error: null,
        createdAt: done.createdAt,
        finishedAt: 1_700_000_100_000,
      },
    ]);
    store.close();
  });

  it('orders downloads by queue position and hands out the next one', () => {
    const store = DownloadStore.open(path);
    store.save(record({ id: 'late', position: 7 }));
    store.save(record({ id: 'early', position: 3 }));
    expect(store.loadAll().map((loaded) => loaded.id)).toEqual(['early', 'late']);
    expect(store.nextPosition()).toBe(8);
    store.close();
  });
});

describe('reading beside a running engine', () => {
  it('sees the newest commits while another process writes and closes the store, and never writes', async () => {
    const writer = DownloadStore.open(path);
    writer.save(record());
    writer.close();
    // Another process opens, writes and closes the store in a loop; each close
    // checkpoints the log into the file and deletes it, the moment a careless
    // reader sees an empty or half-moved store. (A thread would not do: SQLite's
    // file locks do not separate connections within one process.)
    const churn = spawn(process.execPath, [
      '-e',
      `const { DatabaseSync } = require('node:sqlite');
       const end = Date.now() + 1500;
       while (Date.now() < end) {
         const db = new DatabaseSync(${JSON.stringify(path)});
         db.exec('PRAGMA busy_timeout = 5000');
         db.exec("UPDATE downloads SET downloaded_bytes = downloaded_bytes + 1");
         db.close();
       }`,
    ], { stdio: 'inherit' });
    const finished = new Promise((resolve, reject) => {
      churn.once('exit', resolve);
      churn.once('error', reject);
    });
    let done = false;
    void finished.then(() => (done = true));
    let reads = 0;
    while (!done) {
      const reader = DownloadStore.openForReading(path);
      expect(reader.loadAll().map((loaded) => loaded.id)).toEqual(['d1']);
      reader.close();
      reads += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(reads).toBeGreaterThan(50);
    const reader = DownloadStore.openForReading(path);
    expect(() => reader.saveSettings({ theme: 'dark' })).toThrow();
    reader.close();
  });
});
