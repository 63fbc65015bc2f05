import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { H1Body, prematureClose, type BodySource } from './body.ts';
import { ResponseParser, type ResponseHead } from './response-parser.ts';

/**
 * One keep-alive HTTP/1.1 connection of Skein's own client. A plain socket
 * reads through Node's `onread`: up to READ_BUFFER_BYTES per read where a
 * stream gets 64 KiB, and none of a stream's machinery per read. A TLS socket
 * reads as a stream does (TLS hands out 16 KiB at a time anyway).
 *
 * Measured here, 1 GiB from nginx over loopback into a file, one connection,
 * the CLI's whole process tree, runs interleaved with undici's path and curl:
 * user CPU 0.40-0.61 s against 0.62-0.85 s through undici (5 runs each); wall
 * and system time move with this machine's noise, by up to 2x from one minute
 * to the next, for curl too.
 *
 * A response's body is an H1Body (body.ts); the socket reads on only when the
 * body has taken what came. Bytes past a response's end, with it or while the
 * connection is idle, are recorded as the body's overrun and close the
 * connection: no later request is ever answered with them.
 */

export const READ_BUFFER_BYTES = 256 * 1024;
/** Node's default header limit, as undici and curl also apply. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Idle connections close after this long, or sooner when the server says so (`Keep-Alive: timeout`). */
export const IDLE_TIMEOUT_MS = 4_000;

export interface ConnectOptions {
  /** Extra certificate authorities (PEM); verification is never turned off. */
  ca?: string | string[] | undefined;
  connectTimeoutMs: number;
  signal: AbortSignal;
}

export interface Exchange {
  head: ResponseHead;
  body: H1Body;
}

/** Marks a failure on a reused connection before any answer: the server had closed it meanwhile, so the request may go again. */
export const STALE_CONNECTION = Symbol('stale connection');

const SERVER_CLOSED = 'The server closed the connection before the response was complete';

export class H1Connection implements BodySource {
  readonly #socket: Socket;
  #state: 'busy' | 'idle' | 'closed' = 'busy';
  #parser: ResponseParser | null = null;
  #completed = false;
  #body: H1Body | null = null;
  /** The body of the last response, told about bytes that arrive after it while idle. */
  #lastBody: H1Body | null = null;
  #exchange: { resolve: (exchange: Exchange) => void; reject: (error: unknown) => void; highWaterMark: number } | null = null;
  #paused = false;
  #reusable = false;
  #requests = 0;
  #bytesThisExchange = 0;
  #socketError: Error | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #idleTimeoutMs = IDLE_TIMEOUT_MS;
  /** Where the socket reads next (plain sockets). */
  #readBuffer: Buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  /** Set by the pool: told when the connection can take another request, and when it is gone. */
  onIdle: ((connection: H1Connection) => void) | null = null;
  onClose: ((connection: H1Connection) => void) | null = null;

  private constructor(url: URL, options: ConnectOptions, ready: (error?: unknown) => void) {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const secure = url.protocol === 'https:';
    if (secure) {
      // TLS hands out decrypted data 16 KiB at a time and goes on after a pause, which would overwrite a
      // shared buffer: each read gets a buffer of its own ('data' events).
      const tls: ConnectionOptions = { host, port, servername: isIP(host) === 0 ? host : undefined, ALPNProtocols: ['http/1.1'] };
      if (options.ca !== undefined) tls.ca = options.ca;
      this.#socket = connectTls(tls);
      this.#socket.on('data', (chunk: Buffer) => {
        if (!this.#onRead(chunk.byteLength, chunk)) this.#socket.pause();
      });
    } else {
      // Node asks for the buffer of the next read after each one (see #takeRead).
      const onread = { buffer: () => this.#readBuffer, callback: (bytes: number, buffer: Uint8Array) => this.#onRead(bytes, this.#takeRead(buffer, bytes)) };
      this.#socket = connectTcp({ host, port, onread, noDelay: true });
    }
    const timer = setTimeout(() => this.#socket.destroy(Object.assign(new Error(`Connecting to ${url.host} timed out`), { code: 'ETIMEDOUT' })), options.connectTimeoutMs);
    const onAbort = (): void => void this.#socket.destroy(options.signal.reason as Error);
    options.signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      this.#socket.off(secure ? 'secureConnect' : 'connect', onConnect);
      // Aborted before the connection was made (or before this was called): nobody will use it.
      if (options.signal.aborted) this.#socket.destroy();
      ready(options.signal.aborted ? options.signal.reason : error);
    };
    const onConnect = (): void => settle();
    this.#socket.once(secure ? 'secureConnect' : 'connect', onConnect);
    this.#socket.on('error', (error) => {
      this.#socketError ??= error;
      settle(error);
    });
    this.#socket.on('end', () => this.#onEnd());
    this.#socket.on('close', () => {
      settle(this.#socketError ?? prematureClose(SERVER_CLOSED));
      this.#onSocketClose();
    });
  }

  /** Opens a connection; rejects with the socket's error, or the signal's reason. */
  static open(url: URL, options: ConnectOptions): Promise<H1Connection> {
    return new Promise((resolve, reject) => {
      const connection: H1Connection = new H1Connection(url, options, (error) => (error === undefined ? resolve(connection) : reject(error)));
    });
  }

  get idle(): boolean {
    return this.#state === 'idle';
  }

  /** Sends one request (its full head, Latin-1) and resolves with the response's head and body. */
  send(requestHead: string, highWaterMark: number): Promise<Exchange> {
    if (this.#state === 'closed' || this.#socket.destroyed) {
      // Closed between being taken from the pool and this request: as stale as a close that comes later.
      return Promise.reject(Object.assign(prematureClose(SERVER_CLOSED), { [STALE_CONNECTION]: true }));
    }
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#state = 'busy';
    this.#requests += 1;
    this.#bytesThisExchange = 0;
    this.#completed = false;
    this.#paused = false;
    this.#parser = new ResponseParser(
      {
        onHead: (head) => this.#onHead(head),
        onBody: (view) => {
          if (this.#body !== null && !this.#body.deliver(view)) this.#paused = true;
        },
        onComplete: () => {
          this.#completed = true;
        },
      },
      { maxHeaderBytes: MAX_HEADER_BYTES },
    );
    return new Promise<Exchange>((resolve, reject) => {
      this.#exchange = { resolve, reject, highWaterMark };
      this.#socket.write(requestHead, 'latin1');
    });
  }

  /** Closes the connection; a response still arriving fails. */
  destroy(error?: Error): void {
    if (error !== undefined) this.#socketError ??= error;
    this.#close();
  }

  resume(): void {
    if (this.#state !== 'busy' || !this.#paused) return;
    this.#paused = false;
    this.#socket.resume();
  }

  release(): void {
    if (this.#state !== 'busy' || !this.#completed) return;
    this.#lastBody = this.#body;
    this.#body = null;
    this.#parser = null;
    if (!this.#reusable || this.#socket.destroyed) {
      this.#close();
      return;
    }
    this.#state = 'idle';
    this.#paused = false;
    // Reading on while idle is how a close by the server, or bytes nobody asked for, are noticed.
    this.#socket.resume();
    this.#idleTimer = setTimeout(() => this.#close(), this.#idleTimeoutMs);
    this.#idleTimer.unref();
    // Offered for reuse one event-loop turn later, so bytes right behind the response are seen first.
    setImmediate(() => {
      if (this.#state === 'idle') this.onIdle?.(this);
    });
  }

  abandon(): void {
    if (this.#state === 'busy') this.#close();
  }

  #onHead(head: ResponseHead): void {
    this.#reusable = head.keepAlive;
    const keepAlive = /timeout=(\d+)/i.exec(head.headers['keep-alive'] ?? '');
    // A second early, so a request never races the server's own close.
    if (keepAlive !== null) this.#idleTimeoutMs = Math.max(0, Math.min(IDLE_TIMEOUT_MS, Number(keepAlive[1]) * 1000 - 1000));
    const exchange = this.#exchange;
    this.#exchange = null;
    this.#body = new H1Body(this, exchange?.highWaterMark ?? 1024 * 1024);
    exchange?.resolve({ head, body: this.#body });
  }

  /** Returns whether the socket reads on. */
  #onRead(bytes: number, buffer: Uint8Array): boolean {
    if (this.#state === 'idle') return this.#readWhileIdle(buffer, bytes);
    const parser = this.#parser;
    if (this.#state !== 'busy' || parser === null) return false;
    this.#bytesThisExchange += bytes;
    let used: number;
    try {
      used = parser.execute(buffer, 0, bytes);
    } catch (error) {
      this.#fail(error);
      return false;
    }
    if (this.#completed) {
      const extra = used < bytes ? contentBytes(buffer, used, bytes) : 0;
      if (extra > 0) {
        this.#reusable = false;
        if (this.#body !== null) this.#body.overrun = { extraBytes: extra };
      }
      // The body hands over its last bytes, then releases this connection (or closes it, when not reusable).
      this.#body?.complete();
    }
    // The body may have released the connection meanwhile (its last bytes were in this read).
    const state = this.#state as 'busy' | 'idle' | 'closed';
    return state === 'idle' || (state === 'busy' && !this.#paused);
  }

  /**
   * What a read brought, as bytes of their own: the body hands them on to be
   * written later. A read that filled at least half the buffer keeps it, and the
   * next read gets a new one; a shorter read is copied out and the buffer read
   * into again, so a slow connection never holds 256 KiB for a few bytes (at
   * most twice what it received).
   */
  #takeRead(buffer: Uint8Array, bytes: number): Uint8Array {
    if (bytes < READ_BUFFER_BYTES / 2) return Uint8Array.prototype.slice.call(buffer, 0, bytes);
    this.#readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    return buffer;
  }

  #readWhileIdle(buffer: Uint8Array, bytes: number): boolean {
    const extra = contentBytes(buffer, 0, bytes);
    // Stray line breaks between responses are tolerated, as by undici and browsers.
    if (extra === 0) return true;
    if (this.#lastBody !== null) this.#lastBody.overrun = { extraBytes: (this.#lastBody.overrun?.extraBytes ?? 0) + extra };
    this.#close();
    return false;
  }

  #onEnd(): void {
    if (this.#state !== 'busy' || this.#parser === null || this.#completed) return;
    // As undici does: a server that said it would close ends the response by closing, however short it is
    // (the transfer compares what came with what was announced); on a keep-alive connection it is a failure.
    if (this.#parser.headReceived && !this.#reusable) {
      this.#completed = true;
      this.#body?.complete();
      return;
    }
    try {
      this.#parser.finish();
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#completed) this.#body?.complete();
  }

  #onSocketClose(): void {
    if (this.#state === 'busy' && !this.#completed && (this.#parser !== null || this.#exchange !== null)) {
      this.#fail(this.#socketError ?? prematureClose(SERVER_CLOSED));
    }
    this.#state = 'closed';
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.onClose?.(this);
  }

  #fail(error: unknown): void {
    const exchange = this.#exchange;
    this.#exchange = null;
    if (exchange !== null) {
      // A reused connection that failed before answering anything: closed by the server while idle.
      if (this.#requests > 1 && this.#bytesThisExchange === 0 && error !== null && typeof error === 'object') {
        (error as { [STALE_CONNECTION]?: boolean })[STALE_CONNECTION] = true;
      }
      exchange.reject(error);
    } else if (!this.#completed) {
      this.#body?.fail(error as Error);
    }
    this.#close();
  }

  #close(): void {
    if (this.#state === 'closed') return;
    const wasBusy = this.#state === 'busy';
    this.#state = 'closed';
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    if (wasBusy && !this.#completed) {
      const error = this.#socketError ?? prematureClose(SERVER_CLOSED);
      const exchange = this.#exchange;
      this.#exchange = null;
      exchange?.reject(error);
      this.#body?.fail(error);
    }
    this.#socket.destroy();
  }
}

/** Bytes in buffer[from, to) other than CR and LF. */
function contentBytes(buffer: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    const byte = buffer[index] as number;
    if (byte !== 0x0d && byte !== 0x0a) count++;
  }
  return count;
}
