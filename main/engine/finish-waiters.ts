import type { DownloadSnapshot } from '../../shared/download/types.ts';

interface Waiter {
  resolve(snapshot: DownloadSnapshot): void;
  reject(error: Error): void;
}

/**
 * Who waits for which download to finish (awaitDownload). Each wait ends at the
 * download's outcome or when its own signal aborts, whichever comes first; an
 * aborted wait leaves no listener behind.
 */
export class FinishWaiters {
  readonly #waiters = new Map<string, Set<Waiter>>();

  wait(id: string, signal: AbortSignal): Promise<DownloadSnapshot> {
    return new Promise((resolve, reject) => {
      const waiters = this.#waiters.get(id) ?? new Set<Waiter>();
      this.#waiters.set(id, waiters);
      const onAbort = (): void => {
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(id) === waiters) this.#waiters.delete(id);
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      };
      const waiter: Waiter = {
        resolve: (snapshot) => {
          signal.removeEventListener('abort', onAbort);
          resolve(snapshot);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The download completed: every wait gets its final snapshot. */
  resolve(id: string, snapshot: DownloadSnapshot): void {
    const waiters = this.#waiters.get(id);
    this.#waiters.delete(id);
    for (const waiter of waiters ?? []) waiter.resolve(snapshot);
  }

  /** The download failed, was cancelled or removed. */
  reject(id: string, error: Error): void {
    const waiters = this.#waiters.get(id);
    this.#waiters.delete(id);
    for (const waiter of waiters ?? []) waiter.reject(error);
  }
}
