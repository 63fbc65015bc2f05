import { mkdirSync } from 'node:fs';
import type { Settings } from '../../shared/download/types.ts';
import { storePath } from './app-paths.ts';
import { DownloadManager } from './download-manager.ts';
import type { CreateLimiter, Emit, RunTransfer } from './engine-ports.ts';
import { recoverDownloads, type RecoveryReport } from './recovery.ts';
import { defaultSettings } from './settings.ts';
import { lockStateDirectory, type StateLock } from './state-lock.ts';
import { DownloadStore } from './store/download-store.ts';

export interface OpenEngineOptions {
  /** Folder of the SQLite store and the lock file. */
  stateDir: string;
  runTransfer: RunTransfer;
  createLimiter: CreateLimiter;
  defaults?: Settings;
  emit?: Emit;
  progressIntervalMs?: number;
}

export interface Engine {
  manager: DownloadManager;
  recovery: RecoveryReport;
  /** Stops the transfers (keeping them resumable), closes the store, releases the folder. */
  close(): Promise<void>;
}

/**
 * Opens the store of record, recovers what an earlier run left behind, and starts
 * the queue. One engine per state folder: a second one fails with ERR_STATE_LOCKED.
 */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  mkdirSync(options.stateDir, { recursive: true });
  const lock: StateLock = lockStateDirectory(options.stateDir);
  let store: DownloadStore | null = null;
  try {
    store = DownloadStore.open(storePath(options.stateDir));
    const manager = new DownloadManager({
      store,
      runTransfer: options.runTransfer,
      createLimiter: options.createLimiter,
      defaults: options.defaults ?? defaultSettings(),
      emit: options.emit,
      progressIntervalMs: options.progressIntervalMs,
    });
    const openStore = store;
    const recovery = await recoverDownloads(manager.records(), (record) => openStore.save(record));
    // Orphans are only reported (recovery.orphans), not logged: a downloads folder also
    // holds other programs' .part files (browsers use the same suffix).
    manager.start();
    let closed: Promise<void> | null = null;
    return {
      manager,
      recovery,
      close: () => {
        closed ??= manager.stop().finally(() => {
          openStore.close();
          lock.release();
        });
        return closed;
      },
    };
  } catch (error) {
    store?.close();
    lock.release();
    throw error;
  }
}
