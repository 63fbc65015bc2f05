import { Readable } from 'node:stream';
import type { Overrun } from '../overrun.ts';

/** What a body needs from the connection that reads it. */
export interface BodySource {
  /** Read on: the body has room for more. */
  resume(): void;
  /** Every byte of the complete response has been handed over: the connection may serve another request. */
  release(): void;
  /** Nobody will read the rest: the connection cannot be reused. */
  abandon(): void;
}

type ChunkHandler = (chunk: Uint8Array) => boolean | Promise<boolean>;

/**
 * The body of a response read by Skein's own HTTP/1.1 client (connection.ts).
 *
 * Every chunk is bytes of its own (a read buffer the connection gave up, or a
 * copy of a short read), so a reader may keep it. The connection reads on only
 * when the body asks (`BodySource.resume`): chunks that arrive while nobody
 * reads yet (the body's first bytes come with the headers) wait in a queue,
 * the connection paused behind them.
 *
 * Two ways to read it: `stream(handler)`, the download's hot path, with
 * consume()'s contract and no stream machinery; or as the Readable it is
 * (`for await`, pipes).
 */
export class H1Body extends Readable {
  readonly #source: BodySource;
  readonly #queue: Uint8Array[] = [];
  #mode: 'unset' | 'stream' | 'readable' = 'unset';
  #handler: ChunkHandler | null = null;
  #settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  /** A handler's promise is pending: the views after it wait. */
  #busy = false;
  #complete = false;
  #released = false;
  #failure: Error | null = null;
  /** Bytes the connection saw past this response's end, once known. */
  overrun: Overrun | null = null;

  constructor(source: BodySource, highWaterMark: number) {
    super({ highWaterMark });
    this.#source = source;
    // A body closed or failed before anyone reads it (an abort, a pause) must not crash the process with an
    // unheard 'error' event; readers still get the failure, from stream()'s promise or their own listener.
    this.on('error', ignore);
  }

  /** The response ended where its framing said, and every byte was handed over. */
  get completed(): boolean {
    return this.#complete && this.#queue.length === 0 && !this.#busy;
  }

  /**
   * Hands each chunk to `handler` as it arrives, with consume()'s contract
   * (transfer/consume.ts): true goes on, false stops, a promise holds the
   * connection until it settles. Resolves at the end or when stopped; rejects
   * with the connection's failure.
   */
  stream(handler: ChunkHandler): Promise<void> {
    if (this.#mode !== 'unset') return Promise.reject(new Error('The body is already being read'));
    if (this.destroyed) return this.completed ? Promise.resolve() : Promise.reject(this.#failure ?? prematureClose());
    this.#mode = 'stream';
    this.#handler = handler;
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      this.#drain();
    });
  }

  /** Reads and drops up to `limit` more bytes so the connection can be reused; a longer rest closes it. */
  dump(options: { limit: number } = { limit: 128 * 1024 }): Promise<void> {
    if (this.#mode !== 'unset') {
      this.destroy();
      return Promise.resolve();
    }
    let seen = 0;
    return this.stream((chunk) => {
      seen += chunk.byteLength;
      return seen <= options.limit;
    }).finally(() => {
      if (!this.completed) this.destroy();
    });
  }

  /** From the connection: more body bytes. Returns whether it may read on at once. */
  deliver(view: Uint8Array): boolean {
    if (this.#mode === 'readable' && this.#queue.length === 0) return this.push(view);
    if (this.#mode === 'stream' && this.#settle !== null && this.#queue.length === 0 && !this.#busy) return this.#offer(view);
    this.#queue.push(view);
    return false;
  }

  /** From the connection: the response is complete (more deliveries may still be queued). */
  complete(): void {
    this.#complete = true;
    this.#drain();
  }

  /** From the connection: it failed before the response was complete. */
  fail(error: Error): void {
    if (this.#complete || this.#failure !== null) return;
    this.#failure = error;
    // Bytes that came before the failure are still handed over (they are the file's), then the failure.
    if (this.#mode === 'readable') this.destroy(error);
    else this.#drain();
  }

  override _read(): void {
    if (this.#mode === 'unset') this.#mode = 'readable';
    if (this.#mode !== 'readable') return;
    this.#drain();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#queue.length = 0;
    if (!this.#released) {
      this.#released = true;
      if (this.#complete && !this.#busy) this.#source.release();
      else this.#source.abandon();
    }
    if (this.#settle !== null) this.#finish(error ?? prematureClose());
    callback(error);
  }

  /** Stream mode: true when the handler took the view at once. */
  #offer(view: Uint8Array): boolean {
    const handler = this.#handler as ChunkHandler;
    let result: boolean | Promise<boolean>;
    try {
      result = handler(view);
    } catch (error) {
      this.#finish(error);
      return false;
    }
    if (result === true) return true;
    if (result === false) {
      this.#finish();
      return false;
    }
    this.#busy = true;
    result.then(
      (more) => {
        this.#busy = false;
        if (more) this.#drain();
        else this.#finish();
      },
      (error: unknown) => {
        this.#busy = false;
        this.#finish(error);
      },
    );
    return false;
  }

  /** Hands over what waits, then ends, fails or asks the connection for more. */
  #drain(): void {
    if (this.#mode === 'unset' || this.#busy || (this.#mode === 'stream' && this.#settle === null)) return;
    while (this.#queue.length > 0) {
      const view = this.#queue.shift() as Uint8Array;
      const more = this.#mode === 'stream' ? this.#offer(view) : this.push(view);
      if (!more) return;
    }
    if (this.#failure !== null) {
      if (this.#mode === 'stream') this.#finish(this.#failure);
      return;
    }
    if (this.#complete) {
      this.#releaseConnection();
      if (this.#mode === 'stream') this.#finish();
      else this.push(null);
      return;
    }
    this.#source.resume();
  }

  #releaseConnection(): void {
    if (this.#released) return;
    this.#released = true;
    this.#source.release();
  }

  /** Stream mode ends: resolved when `error` is undefined. */
  #finish(error?: unknown): void {
    const settle = this.#settle;
    if (settle === null) return;
    this.#settle = null;
    this.#handler = null;
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  }
}

function ignore(): void {}

/** The failure of a response that ended before its framing said it would (a reset to the transfer). */
export function prematureClose(message = 'The response ended before its body was complete'): Error {
  return Object.assign(new Error(message), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
