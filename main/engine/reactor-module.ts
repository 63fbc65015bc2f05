/**
 * The engine as a reactor module: setup({ module }) loads this file in the reactor
 * process, and each named export is a reactor function of EngineApi. Nothing here
 * imports electron; the state folder comes from SKEIN_STATE_DIR (set by the host)
 * or the per-user data folder.
 *
 * When the host named the state folder, the engine opens as soon as this module
 * loads: the store, then recovery, so interrupted downloads resume by themselves
 * after a start or a crash restart without waiting for a first call. Without
 * SKEIN_STATE_DIR (the module imported outside a reactor host) it opens on the
 * first call, so merely importing it never takes the user's data folder.
 */
import type { AwaitOptions, EngineApi } from '../../shared/download/engine-api.ts';
import type { DownloadRequest, DownloadSnapshot, Settings } from '../../shared/download/types.ts';
import type { ReactorContext } from '../../shared/reactor/context.ts';
import { STATE_DIR_ENV, stateDirectory } from './app-paths.ts';
import type { DownloadManager } from './download-manager.ts';
import { openEngine, type Engine } from './engine-host.ts';
import { TokenBucket } from './policy/rate-limiter.ts';
import { closeAllPools, runTransfer } from './transfer/index.ts';

let opening: Promise<Engine> | null = null;
// The reactor gives every call the same emit; keep the latest so events flow between calls.
let emit: ReactorContext['emit'] = () => {};

/** The engine of this process, opening it (store, recovery, queue) if it is not open or opening. */
function openOnce(): Promise<Engine> {
  if (opening) return opening;
  const attempt = openEngine({
    stateDir: stateDirectory(),
    runTransfer: (job, callbacks, limiters, signal) => runTransfer(job, callbacks, limiters, signal),
    createLimiter: (bytesPerSecond) => new TokenBucket(bytesPerSecond),
    // Events before the first call have no context to go out through; a host lists first anyway.
    emit: (topic, payload) => emit(topic, payload),
  });
  opening = attempt;
  // A failed open (locked folder, unreadable store) is retried by the next call, which reports it.
  attempt.catch(() => {
    if (opening === attempt) opening = null;
  });
  return attempt;
}

async function managerFor(context: ReactorContext): Promise<DownloadManager> {
  emit = context.emit;
  return (await openOnce()).manager;
}

if (process.env[STATE_DIR_ENV]) void openOnce().catch(() => {});

/** Recognised by code: errors cross realms and processes, so `instanceof` is not reliable. */
function isCallerCancel(reason: unknown): boolean {
  return (reason as { code?: unknown } | null)?.code === 'ERR_REACTOR_CANCELLED';
}

export async function addDownloads(context: ReactorContext, requests: DownloadRequest[]): Promise<DownloadSnapshot[]> {
  return (await managerFor(context)).add(requests);
}

export async function awaitDownload(context: ReactorContext, id: string, options: AwaitOptions = {}): Promise<DownloadSnapshot> {
  const manager = await managerFor(context);
  try {
    return await manager.waitUntilFinished(id, context.signal, { failOnErrorPause: options?.failOnErrorPause === true });
  } catch (error) {
    // Cancelling the wait cancels the download; the reactor stopping leaves it resumable.
    if (context.signal.aborted && isCallerCancel(context.signal.reason)) await manager.cancel(id, false).catch(() => {});
    throw error;
  }
}

export async function pauseDownload(context: ReactorContext, id: string): Promise<DownloadSnapshot> {
  return (await managerFor(context)).pause(id);
}

export async function resumeDownload(context: ReactorContext, id: string): Promise<DownloadSnapshot> {
  return (await managerFor(context)).resume(id);
}

export async function retryDownload(context: ReactorContext, id: string): Promise<DownloadSnapshot> {
  return (await managerFor(context)).retry(id);
}

export async function cancelDownload(context: ReactorContext, id: string, options: { deleteFile: boolean }): Promise<DownloadSnapshot> {
  return (await managerFor(context)).cancel(id, options?.deleteFile === true);
}

export async function removeDownload(context: ReactorContext, id: string, options: { deleteFile: boolean }): Promise<void> {
  await (await managerFor(context)).remove(id, options?.deleteFile === true);
}

export async function refreshUrl(context: ReactorContext, id: string, url: string): Promise<DownloadSnapshot> {
  return (await managerFor(context)).refreshUrl(id, url);
}

export async function setDownloadSpeedLimit(context: ReactorContext, id: string, bytesPerSecond: number): Promise<DownloadSnapshot> {
  return (await managerFor(context)).setSpeedLimit(id, bytesPerSecond);
}

export async function listDownloads(context: ReactorContext): Promise<DownloadSnapshot[]> {
  return (await managerFor(context)).list();
}

export async function getDownload(context: ReactorContext, id: string): Promise<DownloadSnapshot> {
  return (await managerFor(context)).get(id);
}

export async function pauseAll(context: ReactorContext): Promise<void> {
  (await managerFor(context)).pauseAll();
}

export async function resumeAll(context: ReactorContext): Promise<void> {
  (await managerFor(context)).resumeAll();
}

export async function getSettings(context: ReactorContext): Promise<Settings> {
  return (await managerFor(context)).settings;
}

export async function updateSettings(context: ReactorContext, patch: Partial<Settings>): Promise<Settings> {
  return (await managerFor(context)).updateSettings(patch);
}

/** Run by the reactor before its process exits: stop transfers resumably and close the store. */
export async function reactorWillStop(): Promise<void> {
  const engine = opening ? await opening.catch(() => null) : null;
  await engine?.close();
  await closeAllPools();
}

// The exports above must be exactly EngineApi; this fails to compile if one drifts.
const _engineApiCheck: EngineApi = {
  addDownloads,
  awaitDownload,
  pauseDownload,
  resumeDownload,
  retryDownload,
  cancelDownload,
  removeDownload,
  refreshUrl,
  setDownloadSpeedLimit,
  listDownloads,
  getDownload,
  pauseAll,
  resumeAll,
  getSettings,
  updateSettings,
};
