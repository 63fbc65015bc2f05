import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The host registers the DownloadError codes, so errors from the reactor keep their class and code.
import '../../shared/download/errors.ts';
import { ENGINE_EVENTS, type DownloadChangedEvent, type EngineApi, type ProgressEvent } from '../../shared/download/engine-api.ts';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { patternBytes, sequence, startFaultServer, type FaultServer } from '../testing/fault-server.ts';
import { startEngineProcess, type EngineProcess } from './testing/engine-process.ts';

// The engine in a real reactor child process, against the project's fault server.

let root: string;
let downloads: string;
let stateDir: string;
let server: FaultServer;
let engine: EngineProcess | null;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function start(): EngineProcess {
  engine = startEngineProcess(stateDir);
  return engine;
}

async function add(process: EngineProcess, request: Record<string, unknown>): Promise<DownloadSnapshot> {
  const [snapshot] = await process.call<EngineApi['addDownloads']>('addDownloads', [{ directory: downloads, ...request }]).wait(10_000);
  return snapshot!;
}

const get = (process: EngineProcess, id: string): Promise<DownloadSnapshot> => process.call<EngineApi['getDownload']>('getDownload', id).wait(10_000);

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'skein-engine-it-'));
  downloads = join(root, 'downloads');
  stateDir = join(root, 'state');
  mkdirSync(downloads);
  server = await startFaultServer();
  engine = null;
});

afterEach(async () => {
  await engine?.shutdown().catch(() => {});
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the engine in its reactor process', () => {
  it('downloads over several connections, reporting states and batched progress', async () => {
    const body = patternBytes(6 << 20);
    server.route('/big.bin', { body, throttle: 4 << 20 });
    const process = start();
    const added = await add(process, { url: server.url('/big.bin'), connections: 4 });
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000);
    expect(done.state).toBe('completed');
    expect(done.filePath).toBe(join(downloads, 'big.bin'));
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
    expect(existsSync(`${done.filePath}.part`)).toBe(false);
    expect(server.connectionCount('/big.bin')).toBeGreaterThanOrEqual(2);
    const states = process.events
      .filter((event) => event.topic === ENGINE_EVENTS.download)
      .map((event) => (event.payload as DownloadChangedEvent & { kind: 'changed' }).snapshot.state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('downloading');
    expect(states.at(-1)).toBe('completed');
    const batches = process.events.filter((event) => event.topic === ENGINE_EVENTS.progress).map((event) => event.payload as ProgressEvent);
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.some((batch) => batch.updates[0]!.segments.length > 1)).toBe(true);
  });

  it('retries a dropped connection by itself and finishes the file', async () => {
    const body = patternBytes(300_000);
    server.route('/flaky.bin', sequence({ body, dropAfter: 50_000 }, { body }));
    const process = start();
    const flaky = await add(process, { url: server.url('/flaky.bin'), connections: 1 });
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', flaky.id).wait(25_000);
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
    expect(server.requests('/flaky.bin').length).toBeGreaterThanOrEqual(2);
  });

  it('fails a 404 at once, with a sentence and a code', async () => {
    server.route('/missing.bin', { status: 404 });
    const process = start();
    const missing = await add(process, { url: server.url('/missing.bin') });
    const failure = await process
      .call<EngineApi['awaitDownload']>('awaitDownload', missing.id)
      .wait(30_000)
      .catch((error: unknown) => error as { code: string; message: string });
    expect(failure).toMatchObject({ code: 'ERR_HTTP_STATUS' });
    expect((failure as { message: string }).message).toMatch(/404|not found|does not exist/i);
    const snapshot = await get(process, missing.id);
    expect(snapshot.state).toBe('failed');
    expect(snapshot.error).toMatchObject({ code: 'ERR_HTTP_STATUS', status: 404 });
    expect(server.requests('/missing.bin')).toHaveLength(1);
  });

  it('retries a busy server within the budget, showing why, and only then turns failed', async () => {
    server.route('/busy.bin', { status: 503, retryAfter: '0' });
    const process = start();
    await process.call<EngineApi['updateSettings']>('updateSettings', { retryLimit: 2 }).wait(10_000);
    const added = await add(process, { url: server.url('/busy.bin') });
    const failure = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_HTTP_STATUS' });
    expect(server.requests('/busy.bin')).toHaveLength(3);
    const snapshots = process.events
      .filter((event) => event.topic === ENGINE_EVENTS.download)
      .map((event) => (event.payload as DownloadChangedEvent & { kind: 'changed' }).snapshot);
    const retrying = snapshots.filter((snapshot) => snapshot.state === 'retrying');
    expect(retrying.map((snapshot) => snapshot.retry?.attempt)).toEqual([1, 2]);
    expect(retrying[0]!.error).toMatchObject({ code: 'ERR_HTTP_STATUS', status: 503 });
    expect(snapshots.at(-1)).toMatchObject({ state: 'failed', error: { status: 503 } });
  });

  it('cancels the download when its awaitDownload call is cancelled', async () => {
    server.route('/slow.bin', { body: patternBytes(2 << 20), throttle: 128 * 1024 });
    const process = start();
    const added = await add(process, { url: server.url('/slow.bin'), connections: 1 });
    const waiting = process.call<EngineApi['awaitDownload']>('awaitDownload', added.id);
    await until(() => get(process, added.id), (snapshot) => snapshot.downloadedBytes > 0 || snapshot.state === 'downloading');
    waiting.cancel();
    const cancelled = await until(() => get(process, added.id), (snapshot) => snapshot.state === 'cancelled');
    expect(cancelled.state).toBe('cancelled');
  });

  it('leaves a download resumable when the reactor stops, and resumes it with If-Range at the next start', async () => {
    const body = patternBytes(3 << 20);
    server.route('/resume.bin', { body, throttle: 512 * 1024 });
    let process = start();
    const added = await add(process, { url: server.url('/resume.bin'), connections: 2 });
    const waiting = process.call<EngineApi['awaitDownload']>('awaitDownload', added.id);
    await until(() => get(process, added.id), (snapshot) => snapshot.downloadedBytes > 256 * 1024);
    await process.shutdown();
    await expect(waiting.wait(1000)).rejects.toMatchObject({ code: 'ERR_REACTOR_STOPPED' });
    const requestsBefore = server.requests('/resume.bin').length;

    process = start();
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000);
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
    const resumed = server.requests('/resume.bin').slice(requestsBefore);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((request) => request.headers['if-range'] !== undefined)).toBe(true);
    expect(resumed.some((request) => /^bytes=[1-9]/.test(request.headers.range ?? ''))).toBe(true);
  });

  it('resumes an interrupted download as soon as the engine loads, before any call', async () => {
    const body = patternBytes(2 << 20);
    server.route('/eager.bin', { body, throttle: 1 << 20 });
    let process = start();
    const added = await add(process, { url: server.url('/eager.bin'), connections: 2 });
    await until(() => get(process, added.id), (snapshot) => snapshot.downloadedBytes > 128 * 1024);
    await process.kill();
    const requestsBefore = server.requests('/eager.bin').length;

    // No call at all: the module opens the store and recovers when it is loaded.
    process = start();
    const finalPath = join(downloads, 'eager.bin');
    await until(async () => existsSync(finalPath), (present) => present, 20_000);
    expect(server.requests('/eager.bin').length).toBeGreaterThan(requestsBefore);
    expect(sha256(readFileSync(finalPath))).toBe(sha256(body));
  });

  it('pauses and resumes without downloading the same bytes twice', async () => {
    const body = patternBytes(2 << 20);
    server.route('/pause.bin', { body, throttle: 512 * 1024 });
    const process = start();
    const added = await add(process, { url: server.url('/pause.bin'), connections: 1 });
    await until(() => get(process, added.id), (snapshot) => snapshot.downloadedBytes > 200 * 1024);
    const paused = await process.call<EngineApi['pauseDownload']>('pauseDownload', added.id).wait(10_000);
    const settled = await until(() => get(process, added.id), (snapshot) => snapshot.state === 'paused');
    expect(paused.state === 'paused' || settled.state === 'paused').toBe(true);
    await process.call<EngineApi['resumeDownload']>('resumeDownload', added.id).wait(10_000);
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000);
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
    const last = server.requests('/pause.bin').at(-1)!;
    expect(Number(/^bytes=(\d+)-/.exec(last.headers.range ?? '')?.[1])).toBeGreaterThanOrEqual(settled.downloadedBytes);
  });

  it('refreshes an expired URL and keeps the bytes when the new URL serves the same file', async () => {
    const body = patternBytes(2 << 20);
    const etag = '"same-file"';
    server.route('/expiring.bin', sequence({ body, etag, throttle: 256 * 1024, dropAfter: 400 * 1024 }, { status: 403 }));
    server.route('/fresh.bin', { body, etag });
    const process = start();
    const added = await add(process, { url: server.url('/expiring.bin'), connections: 1 });
    await until(() => get(process, added.id), (snapshot) => snapshot.state === 'failed', 30_000);
    const failed = await get(process, added.id);
    expect(failed.downloadedBytes).toBeGreaterThan(0);
    await process.call<EngineApi['refreshUrl']>('refreshUrl', added.id, server.url('/fresh.bin')).wait(10_000);
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000);
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
    expect(done.restartedBecauseChanged).toBe(false);
    expect(server.requests('/fresh.bin')[0]!.headers.range).toMatch(/^bytes=[1-9]/);
  });

  it('changes a running download’s speed limit', async () => {
    const size = 2 << 20;
    server.route('/limited.bin', { body: patternBytes(size) });
    const process = start();
    const added = await add(process, { url: server.url('/limited.bin'), connections: 1, speedLimit: 256 * 1024 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Unlimited, loopback would have finished long ago; at 256 KiB/s at most about 1.5 s worth (plus a burst) is in.
    const limited = await get(process, added.id);
    expect(limited.state).not.toBe('completed');
    expect(limited.downloadedBytes).toBeLessThan(size / 2 + 256 * 1024);
    await process.call<EngineApi['setDownloadSpeedLimit']>('setDownloadSpeedLimit', added.id, 0).wait(10_000);
    const liftedAt = Date.now();
    const done = await process.call<EngineApi['awaitDownload']>('awaitDownload', added.id).wait(30_000);
    expect(Date.now() - liftedAt).toBeLessThan(3000);
    expect(done.speedLimit).toBe(0);
    expect(done.downloadedBytes).toBe(size);
  });
});
