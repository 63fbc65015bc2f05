import type { H1Connection } from './connection.ts';

/**
 * The connections of one origin (scheme, host, port, trust): at most
 * MAX_CONNECTIONS_PER_ORIGIN open at once, as with undici before. A download
 * opens at most 64, so four such downloads of one site run at full width; past
 * the limit a request waits for a connection to come free instead of opening
 * more. Idle ones are reused most recent first (the likeliest still open), and
 * at most MAX_IDLE_PER_ORIGIN of them are kept.
 */

export const MAX_CONNECTIONS_PER_ORIGIN = 256;
const MAX_IDLE_PER_ORIGIN = 64;

export interface Acquired {
  connection: H1Connection;
  /** It served a request before: a failure before any answer means the server closed it meanwhile. */
  reused: boolean;
}

type Waiter = (idle: H1Connection | null) => void;

export class OriginPool {
  readonly #idle: H1Connection[] = [];
  readonly #open = new Set<H1Connection>();
  /** Connections being opened count against the limit too. */
  #opening = 0;
  readonly #waiters: Waiter[] = [];
  readonly #limit: number;

  constructor(limit = MAX_CONNECTIONS_PER_ORIGIN) {
    this.#limit = limit;
  }

  /** An idle connection, a new one from `open`, or (at the limit) the first to come free. */
  async acquire(open: () => Promise<H1Connection>, signal: AbortSignal): Promise<Acquired> {
    for (;;) {
      const idle = this.#takeIdle();
      if (idle !== null) return { connection: idle, reused: true };
      if (this.#open.size + this.#opening < this.#limit) return { connection: await this.#openOne(open), reused: false };
      const handed = await this.#waitForSlot(signal);
      if (handed !== null) return { connection: handed, reused: true };
    }
  }

  closeAll(): void {
    this.#idle.length = 0;
    for (const connection of [...this.#open]) connection.destroy();
  }

  get openCount(): number {
    return this.#open.size;
  }

  async #openOne(open: () => Promise<H1Connection>): Promise<H1Connection> {
    this.#opening++;
    let connection: H1Connection;
    try {
      connection = await open();
    } catch (error) {
      this.#wakeOne(null);
      throw error;
    } finally {
      this.#opening--;
    }
    this.#open.add(connection);
    connection.onIdle = (idle) => this.#onIdle(idle);
    connection.onClose = (closed) => this.#onClose(closed);
    return connection;
  }

  #onIdle(connection: H1Connection): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter(connection);
      return;
    }
    if (this.#idle.length >= MAX_IDLE_PER_ORIGIN) {
      connection.destroy();
      return;
    }
    this.#idle.push(connection);
  }

  #onClose(connection: H1Connection): void {
    this.#open.delete(connection);
    const index = this.#idle.indexOf(connection);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#wakeOne(null);
  }

  #takeIdle(): H1Connection | null {
    while (this.#idle.length > 0) {
      const connection = this.#idle.pop() as H1Connection;
      if (connection.idle) return connection;
    }
    return null;
  }

  /** Resolves with an idle connection handed over, or null when a slot opened; rejects when `signal` aborts. */
  #waitForSlot(signal: AbortSignal): Promise<H1Connection | null> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<H1Connection | null>((resolve, reject) => {
      const waiter: Waiter = (idle) => {
        signal.removeEventListener('abort', onAbort);
        resolve(idle);
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #wakeOne(idle: H1Connection | null): void {
    this.#waiters.shift()?.(idle);
  }
}
