import type { ProgressUpdate } from '../../shared/download/types.ts';

export interface ProgressBatcherOptions {
  /** Shortest time between two batches (100 ms: at most 10 a second). */
  intervalMs: number;
  /** Sends one batch. */
  send(updates: ProgressUpdate[]): void;
  /** Builds the current update of a download, or null if it no longer exists. */
  read(id: string): ProgressUpdate | null;
}

/**
 * Collects which downloads moved and sends their progress together, at most
 * once per interval. Idle, it holds no timer, so it never keeps a process alive.
 */
export class ProgressBatcher {
  readonly #options: ProgressBatcherOptions;
  readonly #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastSentAt = -Infinity;

  constructor(options: ProgressBatcherOptions) {
    this.#options = options;
  }

  /** Marks a download as changed; its update goes out with the next batch. */
  touch(id: string): void {
    this.#dirty.add(id);
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastSentAt + this.#options.intervalMs - Date.now());
    this.#timer = setTimeout(() => this.flush(), wait);
    this.#timer.unref?.();
  }

  /** Sends what is pending now (the timer calls it; so does shutdown, so the last figures are not lost). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#dirty.size === 0) return;
    const updates: ProgressUpdate[] = [];
    for (const id of this.#dirty) {
      const update = this.#options.read(id);
      if (update) updates.push(update);
    }
    this.#dirty.clear();
    this.#lastSentAt = Date.now();
    if (updates.length > 0) this.#options.send(updates);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#dirty.clear();
  }
}
