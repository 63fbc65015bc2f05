/**
 * An in-memory engine with the real engine's reactor functions (EngineApi), for
 * the service's tests under noSetup(). Tests drive it through `fakeEngine()`:
 * finish or fail downloads, read which functions ran. Its state lives on
 * globalThis so the test and the reactor side see the same engine even if the
 * module is loaded twice.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SkeinError } from '../../../shared/errors/base.ts';
import { ENGINE_EVENTS } from '../../../shared/download/engine-api.ts';
import type { DownloadRequest, DownloadSnapshot, DownloadState, Settings } from '../../../shared/download/types.ts';
import type { ReactorContext } from '../../../shared/reactor/context.ts';

interface Waiter {
  resolve(snapshot: DownloadSnapshot): void;
  reject(error: Error): void;
}

interface FakeEngineState {
  downloads: Map<string, DownloadSnapshot>;
  waiters: Map<string, Set<Waiter>>;
  /** Names of the engine functions called, in order. */
  calls: string[];
  settings: Settings;
  emit: ((topic: string, payload: unknown) => void) | null;
  nextId: number;
}

const KEY = Symbol.for('skein.app.fakeEngine');
const TERMINAL: DownloadState[] = ['completed', 'failed', 'cancelled'];

function state(): FakeEngineState {
  const global = globalThis as { [KEY]?: FakeEngineState };
  global[KEY] ??= {
    downloads: new Map(),
    waiters: new Map(),
    calls: [],
    settings: {
      downloadDirectory: join(tmpdir(), 'skein-fake-downloads'),
      maxConcurrentDownloads: 3,
      connectionsPerDownload: 8,
      globalSpeedLimit: 0,
      retryLimit: 5,
      stallTimeoutMs: 30_000,
      notifications: true,
      theme: 'system',
      proxy: null,
      openAtLogin: false,
    },
    emit: null,
    nextId: 1,
  };
  return global[KEY];
}

class FakeDownloadError extends SkeinError {}

function notFound(id: string): never {
  throw new FakeDownloadError('ERR_DOWNLOAD_NOT_FOUND', `No download with id ${id}`);
}

function get(id: string): DownloadSnapshot {
  return state().downloads.get(id) ?? notFound(id);
}

function record(ctx: ReactorContext, name: string): FakeEngineState {
  const engine = state();
  engine.calls.push(name);
  engine.emit = ctx.emit;
  return engine;
}

function change(id: string, patch: Partial<DownloadSnapshot>): DownloadSnapshot {
  const engine = state();
  const snapshot = { ...get(id), ...patch };
  engine.downloads.set(id, snapshot);
  engine.emit?.(ENGINE_EVENTS.download, { kind: 'changed', snapshot });
  const waiters = engine.waiters.get(id);
  if (waiters && TERMINAL.includes(snapshot.state)) {
    engine.waiters.delete(id);
    for (const waiter of waiters) {
      if (snapshot.state === 'completed') waiter.resolve(snapshot);
      else waiter.reject(new FakeDownloadError(snapshot.state === 'failed' ? 'ERR_DOWNLOAD_FAILED' : 'ERR_DOWNLOAD_CANCELLED', `Download ${snapshot.state}`, { details: { id } }));
    }
  }
  return snapshot;
}

export async function addDownloads(ctx: ReactorContext, requests: DownloadRequest[]): Promise<DownloadSnapshot[]> {
  const engine = record(ctx, 'addDownloads');
  return requests.map((request) => {
    const id = `d${engine.nextId++}`;
    const fileName = request.fileName ?? (new URL(request.url).pathname.split('/').pop() || 'download');
    const directory = request.directory ?? engine.settings.downloadDirectory;
    const snapshot: DownloadSnapshot = {
      id, url: request.url, finalUrl: null, fileName, directory, filePath: join(directory, fileName),
      state: 'downloading', totalBytes: 1000, downloadedBytes: 0, speed: 0, etaSeconds: null,
      connections: request.connections ?? 1, speedLimit: request.speedLimit ?? 0, segments: [], error: null,
      retry: null, checksum: request.checksum ?? null, restartedBecauseChanged: false, createdAt: Date.now(), finishedAt: null,
      revision: engine.nextId,
    };
    engine.downloads.set(id, snapshot);
    ctx.emit(ENGINE_EVENTS.download, { kind: 'added', snapshot });
    return snapshot;
  });
}

export function awaitDownload(ctx: ReactorContext, id: string): Promise<DownloadSnapshot> {
  const engine = record(ctx, 'awaitDownload');
  const snapshot = get(id);
  if (snapshot.state === 'completed') return Promise.resolve(snapshot);
  if (TERMINAL.includes(snapshot.state)) return Promise.reject(new FakeDownloadError('ERR_DOWNLOAD_FAILED', `Download ${snapshot.state}`));
  return new Promise((resolve, reject) => {
    let waiters = engine.waiters.get(id);
    if (!waiters) engine.waiters.set(id, (waiters = new Set()));
    const waiter: Waiter = { resolve, reject };
    waiters.add(waiter);
    // Cancelling the awaitDownload call cancels the download (EngineApi's promise).
    ctx.signal.addEventListener('abort', () => {
      waiters.delete(waiter);
      reject(ctx.signal.reason);
      if (!TERMINAL.includes(get(id).state)) change(id, { state: 'cancelled', finishedAt: Date.now() });
    });
  });
}

export async function pauseDownload(ctx: ReactorContext, id: string) { record(ctx, 'pauseDownload'); return change(id, { state: 'paused' }); }
export async function resumeDownload(ctx: ReactorContext, id: string) { record(ctx, 'resumeDownload'); return change(id, { state: 'downloading' }); }
export async function retryDownload(ctx: ReactorContext, id: string) { record(ctx, 'retryDownload'); return change(id, { state: 'queued', error: null }); }
export async function cancelDownload(ctx: ReactorContext, id: string, _options: { deleteFile: boolean }) {
  record(ctx, 'cancelDownload');
  return change(id, { state: 'cancelled', finishedAt: Date.now() });
}
export async function removeDownload(ctx: ReactorContext, id: string, _options: { deleteFile: boolean }): Promise<void> {
  const engine = record(ctx, 'removeDownload');
  get(id);
  engine.downloads.delete(id);
  ctx.emit(ENGINE_EVENTS.download, { kind: 'removed', id });
}
export async function refreshUrl(ctx: ReactorContext, id: string, url: string) { record(ctx, 'refreshUrl'); return change(id, { url }); }
export async function setDownloadSpeedLimit(ctx: ReactorContext, id: string, bytesPerSecond: number) {
  record(ctx, 'setDownloadSpeedLimit');
  return change(id, { speedLimit: bytesPerSecond });
}
export async function listDownloads(ctx: ReactorContext) { return [...record(ctx, 'listDownloads').downloads.values()]; }
export async function getDownload(ctx: ReactorContext, id: string) { record(ctx, 'getDownload'); return get(id); }
export async function pauseAll(ctx: ReactorContext) { record(ctx, 'pauseAll'); for (const id of state().downloads.keys()) if (!TERMINAL.includes(get(id).state)) change(id, { state: 'paused' }); }
export async function resumeAll(ctx: ReactorContext) { record(ctx, 'resumeAll'); for (const id of state().downloads.keys()) if (get(id).state === 'paused') change(id, { state: 'downloading' }); }
export async function getSettings(ctx: ReactorContext) { return record(ctx, 'getSettings').settings; }
export async function updateSettings(ctx: ReactorContext, patch: Partial<Settings>) {
  const engine = record(ctx, 'updateSettings');
  engine.settings = { ...engine.settings, ...patch };
  ctx.emit(ENGINE_EVENTS.settings, engine.settings);
  return engine.settings;
}

/** Test controls for the fake engine. */
export function fakeEngine() {
  const engine = state();
  return {
    calls: engine.calls,
    downloads: engine.downloads,
    settings: () => state().settings,
    /** Moves a download to a new state (completing, failing) and emits the change. */
    finish: (id: string, final: 'completed' | 'failed', patch: Partial<DownloadSnapshot> = {}) =>
      change(id, { ...patch, state: final, downloadedBytes: final === 'completed' ? 1000 : get(id).downloadedBytes, finishedAt: Date.now() }),
    progress: (id: string, downloadedBytes: number) => {
      const snapshot = change(id, { downloadedBytes });
      engine.emit?.(ENGINE_EVENTS.progress, { updates: [{ id, state: snapshot.state, downloadedBytes, totalBytes: snapshot.totalBytes, speed: 100, etaSeconds: 1, segments: [] }] });
    },
    /** Everything a request could have changed, to compare before and after. */
    fingerprint: () => JSON.stringify({ downloads: [...state().downloads.values()], settings: state().settings }),
  };
}
