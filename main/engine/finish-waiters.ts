import type { DownloadSnapshot } from '../../shared/download/types.ts';

interface Waiter {
  resolve(snapshot: DownloadSnapshot): void;
  reject(error: Error): void;
  failOnErrorPause: boolean;
}

/**
 * Who waits for which download to finish (awaitDownload). Each wait ends at the
 * download's outcome or when its own signal aborts, whichever comes first; an
 * aborted wait leaves no listener behind.
 */
export class FinishWaiters {
  readonly #waiters = new Map<string, Set<Waiter>>();

  wait(id: string, signal: AbortSignal, options: { failOnErrorPause?: boolean } = {}): Promise<DownloadSnapshot> {
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
        failOnErrorPause: options.failOnErrorPause === true,
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

  /** The download paused because of an error: the waits that asked to end then do. */
  rejectErrorPause(id: string, error: Error): void {
    const waiters = this.#waiters.get(id);
    if (!waiters) return;
    for (const waiter of [...waiters]) {
      if (!waiter.failOnErrorPause) continue;
      waiters.delete(waiter);
      waiter.reject(error);
    }
    if (waiters.size === 0) this.#waiters.delete(id);
  }

  /** The download failed, was cancelled or removed. */
  reject(id: string, error: Error): void {
    const waiters = this.#waiters.get(id);
    this.#waiters.delete(id);
    for (const waiter of waiters ?? []) waiter.reject(error);
  }
}
