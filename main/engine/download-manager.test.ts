import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_EVENTS, type DownloadChangedEvent, type ProgressEvent } from '../../shared/download/engine-api.ts';
import { DOWNLOAD_ERROR_CODES as CODES, DownloadError } from '../../shared/download/errors.ts';
import type { SegmentSnapshot } from '../../shared/download/types.ts';
import { storePath } from './app-paths.ts';
import { openEngine, type Engine } from './engine-host.ts';
import { defaultSettings } from './settings.ts';
import { DownloadStore } from './store/download-store.ts';
import { FakeTransfer, RecordingLimiter, fakeMetadata } from './testing/fake-transfer.ts';

let root: string;
let downloads: string;
let stateDir: string;
let transfer: FakeTransfer;
let limiters: RecordingLimiter[];
let events: Array<{ topic: string; payload: unknown }>;
let engine: Engine | null;

async function open(): Promise<Engine> {
  transfer = new FakeTransfer();
  engine = await openEngine({
    stateDir,
    runTransfer: transfer.run,
    createLimiter: (rate) => {
      const limiter = new RecordingLimiter(rate);
      limiters.push(limiter);
      return limiter;
    },
    defaults: defaultSettings(downloads),
    emit: (topic, payload) => events.push({ topic, payload }),
  });
  return engine;
}

function statesOf(id: string): string[] {
  return events
    .filter((event) => event.topic === ENGINE_EVENTS.download)
    .map((event) => event.payload as DownloadChangedEvent)
    .filter((change) => change.kind !== 'removed' && change.snapshot.id === id)
    .map((change) => (change.kind === 'removed' ? 'removed' : change.snapshot.state))
    .filter((state, index, all) => index === 0 || all[index - 1] !== state);
}

const half: SegmentSnapshot[] = [
  { start: 0, end: 500, downloaded: 300, state: 'active' },
  { start: 500, end: 1000, downloaded: 200, state: 'active' },
];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'skein-manager-'));
  downloads = join(root, 'downloads');
  stateDir = join(root, 'state');
  limiters = [];
  events = [];
  engine = null;
});

afterEach(async () => {
  await engine?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the download queue', () => {
  it('starts at most the concurrency limit, in the order added, and starts the next when one completes', async () => {
    const { manager } = await open();
    manager.updateSettings({ maxConcurrentDownloads: 2 });
    const added = manager.add([1, 2, 3].map((n) => ({ url: `http://127.0.0.1:1/file${n}` })));
    await transfer.call(1);
    // Started together, they reach the transfer in any order.
    expect(transfer.calls.map((call) => call.job.url).sort()).toEqual(['http://127.0.0.1:1/file1', 'http://127.0.0.1:1/file2']);
    expect(manager.get(added[2]!.id).state).toBe('queued');
    const first = transfer.calls.find((call) => call.job.url.endsWith('/file1'))!;
    first.complete();
    await first.settled;
    expect(manager.get(added[0]!.id).state).toBe('completed');
    expect((await transfer.call(2)).job.url).toBe('http://127.0.0.1:1/file3');
  });

  it('numbers snapshots so a later one always has the larger revision', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/ordered' }]);
    const call = await transfer.call(0);
    call.complete();
    await call.settled;
    const changes = events
      .filter((event) => event.topic === ENGINE_EVENTS.download)
      .map((event) => event.payload as DownloadChangedEvent)
      .flatMap((change) => (change.kind === 'removed' ? [] : [change.snapshot.revision]));
    const later = manager.get(added!.id).revision;
    expect(changes.length).toBeGreaterThan(1);
    // In the order they went out, each one larger than the one before; a snapshot taken now, larger still.
    const inOrder = [...changes, later];
    expect(inOrder.every((revision, index) => index === 0 || revision > inOrder[index - 1]!)).toBe(true);
  });

  it('uses the settings for connections and folder when the request leaves them out', async () => {
    const { manager } = await open();
    const [snapshot] = manager.add([{ url: 'http://127.0.0.1:1/a.iso' }]);
    const call = await transfer.call(0);
    expect(call.job.connections).toBe(8);
    expect(call.job.directory).toBe(downloads);
    expect(existsSync(downloads)).toBe(true);
    expect(snapshot!.fileName).toBe('a.iso');
  });

  it('rejects a batch with one bad URL whole, with a code per problem', async () => {
    const { manager } = await open();
    const attempt = (url: string): unknown => {
      try {
        manager.add([{ url: 'http://127.0.0.1:1/ok' }, { url }]);
      } catch (error) {
        return (error as DownloadError).code;
      }
      return null;
    };
    expect(attempt('not a url')).toBe(CODES.invalidUrl);
    expect(attempt('ftp://example.invalid/x')).toBe(CODES.unsupportedScheme);
    expect(manager.list()).toEqual([]);
  });

  it('pauses and resumes, resuming from the bytes the last checkpoint committed', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin' }]);
    const first = await transfer.call(0);
    const metadata = fakeMetadata(first.job, { filePath: join(downloads, 'file.bin') });
    await first.callbacks.onMetadata(metadata);
    writeFileSync(`${metadata.filePath}.part`, Buffer.alloc(800));
    await first.callbacks.onCheckpoint(half);
    first.callbacks.onProgress(700, half);
    manager.pause(added!.id);
    await first.settled;
    expect(first.signal.aborted).toBe(true);
    const paused = manager.get(added!.id);
    expect(paused.state).toBe('paused');
    expect(paused.downloadedBytes).toBe(500);

    manager.resume(added!.id);
    const second = await transfer.call(1);
    expect(second.job.resume).toEqual({ metadata, segments: half });
    expect(statesOf(added!.id)).toEqual(['queued', 'connecting', 'paused', 'queued', 'connecting']);
  });

  it('starts afresh when the partial file is gone, instead of trusting its claimed bytes', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin' }]);
    const first = await transfer.call(0);
    await first.callbacks.onMetadata(fakeMetadata(first.job, { filePath: join(downloads, 'file.bin') }));
    await first.callbacks.onCheckpoint(half);
    manager.pause(added!.id);
    await first.settled;
    manager.resume(added!.id);
    expect((await transfer.call(1)).job.resume).toBeNull();
  });

  it('turns failed only when the transfer gives up, with the reason in the snapshot and the await', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/missing' }]);
    const waiting = manager.waitUntilFinished(added!.id, new AbortController().signal);
    const call = await transfer.call(0);
    call.fail(new DownloadError(CODES.httpStatus, 'The server says the file does not exist (404).', { details: { status: 404 } }));
    await expect(waiting).rejects.toMatchObject({ code: CODES.httpStatus, message: 'The server says the file does not exist (404).' });
    const failed = manager.get(added!.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({ code: CODES.httpStatus, message: 'The server says the file does not exist (404).', status: 404 });
    manager.retry(added!.id);
    expect((await transfer.call(1)).job.url).toBe('http://127.0.0.1:1/missing');
  });

  it('commits a start with the first response, while a retried download is back in the queue on disk at once', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/missing' }]);
    const storedState = (): string | undefined => {
      // Read as `skein list` does, beside the running engine.
      const store = DownloadStore.open(storePath(stateDir));
      try {
        return store.loadAll().find((record) => record.id === added!.id)?.state;
      } finally {
        store.close();
      }
    };
    const waiting = manager.waitUntilFinished(added!.id, new AbortController().signal).catch(() => undefined);
    const first = await transfer.call(0);
    expect(manager.get(added!.id).state).toBe('connecting');
    expect(storedState()).toBe('queued');
    first.fail(new DownloadError(CODES.httpStatus, 'The server says the file does not exist (404).', { details: { status: 404 } }));
    await waiting;
    expect(storedState()).toBe('failed');
    manager.retry(added!.id);
    await transfer.call(1);
    // A crash now would start it again, not bring the failure back.
    expect(storedState()).toBe('queued');
  });

  it('pauses on a full disk, keeping the bytes and explaining why', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/big' }]);
    const call = await transfer.call(0);
    await call.callbacks.onMetadata(fakeMetadata(call.job, { filePath: join(downloads, 'big') }));
    await call.callbacks.onCheckpoint(half);
    call.fail(Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' }));
    await call.settled;
    const paused = manager.get(added!.id);
    expect(paused.state).toBe('paused');
    expect(paused.error?.code).toBe(CODES.diskFull);
    expect(paused.downloadedBytes).toBe(500);
  });

  it('cancels, deleting the partial file when asked, and the await says it was cancelled', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin' }]);
    const outcome = manager.waitUntilFinished(added!.id, new AbortController().signal).catch((error: unknown) => error);
    const call = await transfer.call(0);
    const metadata = fakeMetadata(call.job, { filePath: join(downloads, 'file.bin') });
    await call.callbacks.onMetadata(metadata);
    writeFileSync(`${metadata.filePath}.part`, 'partial');
    const cancelled = await manager.cancel(added!.id, true);
    expect(cancelled.state).toBe('cancelled');
    expect(existsSync(`${metadata.filePath}.part`)).toBe(false);
    expect(await outcome).toMatchObject({ code: CODES.cancelled });
  });

  it('removes a download from the list and the store, keeping its history', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin' }]);
    await transfer.call(0);
    await manager.remove(added!.id, false);
    expect(manager.list()).toEqual([]);
    expect(events.at(-1)).toEqual({ topic: ENGINE_EVENTS.download, payload: { kind: 'removed', id: added!.id } });
    await engine!.close();
    engine = null;
    const store = DownloadStore.open(storePath(stateDir));
    expect(store.loadAll()).toEqual([]);
    expect(store.history().map((entry) => [entry.id, entry.outcome])).toEqual([[added!.id, 'cancelled']]);
    store.close();
  });

  it('changes speed limits while running: the download’s own and the global one', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin', speedLimit: 1000 }]);
    const call = await transfer.call(0);
    const { global, own } = call.limiters as { global: RecordingLimiter; own: RecordingLimiter };
    manager.setSpeedLimit(added!.id, 5000);
    manager.updateSettings({ globalSpeedLimit: 20_000 });
    expect(own!.rates).toEqual([1000, 5000]);
    expect(global!.rates).toEqual([0, 20_000]);
    expect(manager.get(added!.id).speedLimit).toBe(5000);
  });

  it('sends the latest URL after a refresh and keeps the server facts that validate the bytes', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/expiring?token=old' }]);
    const first = await transfer.call(0);
    const metadata = fakeMetadata(first.job, { filePath: join(downloads, 'file.bin') });
    await first.callbacks.onMetadata(metadata);
    writeFileSync(`${metadata.filePath}.part`, Buffer.alloc(1000));
    await first.callbacks.onCheckpoint(half);
    manager.refreshUrl(added!.id, 'http://127.0.0.1:1/expiring?token=new');
    const second = await transfer.call(1);
    expect(second.job.url).toBe('http://127.0.0.1:1/expiring?token=new');
    expect(second.job.resume).toEqual({ metadata, segments: half });
  });

  it('sends progress batched over downloads, at most 10 batches a second', async () => {
    const { manager } = await open();
    manager.add([{ url: 'http://127.0.0.1:1/a' }, { url: 'http://127.0.0.1:1/b' }]);
    const [a, b] = [await transfer.call(0), await transfer.call(1)];
    const started = Date.now();
    let bytes = 0;
    while (Date.now() - started < 500) {
      bytes += 10;
      a.callbacks.onProgress(bytes, []);
      b.callbacks.onProgress(bytes, []);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    const batches = events.filter((event) => event.topic === ENGINE_EVENTS.progress).map((event) => event.payload as ProgressEvent);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.length).toBeLessThanOrEqual(7);
    expect(batches.every((batch) => batch.updates.length === 2)).toBe(true);
    expect(batches.at(-1)!.updates[0]!.downloadedBytes).toBe(bytes);
    expect(batches.at(-1)!.updates[0]!.speed).toBeGreaterThan(0);
  });

  it('keeps interrupted downloads resumable across a stop and resumes them at the next start', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/file.bin' }]);
    const first = await transfer.call(0);
    const metadata = fakeMetadata(first.job, { filePath: join(downloads, 'file.bin') });
    await first.callbacks.onMetadata(metadata);
    writeFileSync(`${metadata.filePath}.part`, Buffer.alloc(1000));
    await first.callbacks.onCheckpoint(half);
    await engine!.close();
    const reopened = await open();
    expect(reopened.recovery.requeued).toEqual([]);
    expect(reopened.manager.get(added!.id).state).not.toBe('paused');
    expect((await transfer.call(0)).job.resume).toEqual({ metadata, segments: half });
  });

  it('puts the latest-started download back in the queue when the limit shrinks', async () => {
    const { manager } = await open();
    const added = manager.add([1, 2, 3].map((n) => ({ url: `http://127.0.0.1:1/f${n}` })));
    await transfer.call(2);
    manager.updateSettings({ maxConcurrentDownloads: 2 });
    // Calls start in whatever order their folder checks finish: find the third download's.
    await transfer.calls.find((call) => call.job.url.endsWith('/f3'))!.settled;
    expect(added.map((snapshot) => manager.get(snapshot.id).state)).toEqual(['connecting', 'connecting', 'queued']);
  });

  it('refuses a second engine on the same state folder', async () => {
    await open();
    await expect(openEngine({ stateDir, runTransfer: transfer.run, createLimiter: (rate) => new RecordingLimiter(rate) })).rejects.toMatchObject({
      code: 'ERR_STATE_LOCKED',
    });
  });

  it('shows a scheduled retry with its reason, and clears the reason once bytes flow again', async () => {
    const { manager } = await open();
    const [added] = manager.add([{ url: 'http://127.0.0.1:1/flaky' }]);
    const call = await transfer.call(0);
    const error = { code: CODES.connectionReset, message: 'The server closed the connection.' };
    call.callbacks.onRetryScheduled({ attempt: 1, limit: 8, delayMs: 2000, error });
    const retrying = manager.get(added!.id);
    expect(retrying.state).toBe('retrying');
    expect(retrying.error).toEqual(error);
    expect(retrying.retry).toMatchObject({ attempt: 1, limit: 8 });
    expect(retrying.retry!.nextAttemptAt! - Date.now()).toBeGreaterThan(1000);
    call.callbacks.onStateChange('downloading');
    expect(manager.get(added!.id)).toMatchObject({ state: 'downloading', error: null, retry: { attempt: 1, nextAttemptAt: null } });
  });

  it('pauses everything and resumes everything, in queue order', async () => {
    const { manager } = await open();
    manager.updateSettings({ maxConcurrentDownloads: 1 });
    const added = manager.add([1, 2].map((n) => ({ url: `http://127.0.0.1:1/p${n}` })));
    const first = await transfer.call(0);
    manager.pauseAll();
    await first.settled;
    expect(added.map((snapshot) => manager.get(snapshot.id).state)).toEqual(['paused', 'paused']);
    manager.resumeAll();
    expect((await transfer.call(1)).job.url).toBe('http://127.0.0.1:1/p1');
    expect(added.map((snapshot) => manager.get(snapshot.id).state)).toEqual(['connecting', 'queued']);
  });
});
