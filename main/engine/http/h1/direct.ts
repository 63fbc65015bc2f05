import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../../shared/download/errors.ts';
import type { H1Body } from './body.ts';
import { H1Connection, STALE_CONNECTION, type Exchange } from './connection.ts';

/**
 * Requests that go straight to the server (no proxy) through Skein's own
 * HTTP/1.1 client, with keep-alive connections pooled per origin and shared by
 * every download of the process. A connection is reused only after its
 * response was read to the end and nothing followed it; a request that meets a
 * connection the server closed while it was idle goes again on a new one.
 */

export interface DirectRequestOptions {
  signal: AbortSignal;
  headersTimeoutMs: number;
  highWaterMark: number;
  ca?: string | string[] | undefined;
}

export interface DirectResponse {
  status: number;
  headers: Record<string, string>;
  body: H1Body;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** Idle connections kept per origin: beyond that, a finished connection closes. */
const MAX_IDLE_PER_ORIGIN = 64;

const idleByOrigin = new Map<string, H1Connection[]>();
const openConnections = new Set<H1Connection>();

export async function sendDirect(url: URL, headers: Record<string, string>, options: DirectRequestOptions): Promise<DirectResponse> {
  const head = requestHead(url, headers);
  const key = `${url.protocol}//${url.host} ${JSON.stringify(options.ca ?? null)}`;
  for (let attempt = 0; ; attempt++) {
    const reused = takeIdle(key);
    const connection = reused ?? (await openConnection(url, key, options));
    try {
      const { head: response, body } = await exchange(connection, head, url, options);
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      const stale = reused !== null && (error as { [STALE_CONNECTION]?: boolean } | null)?.[STALE_CONNECTION] === true;
      if (stale && attempt < 2 && !options.signal.aborted) continue;
      throw error;
    }
  }
}

/** Closes every connection of the direct route (engine shutdown, tests). */
export async function closeDirectConnections(): Promise<void> {
  idleByOrigin.clear();
  for (const connection of openConnections) connection.destroy();
  openConnections.clear();
  // Sockets report their close on the next turns.
  await new Promise<void>((resolve) => setImmediate(resolve));
}

async function openConnection(url: URL, key: string, options: DirectRequestOptions): Promise<H1Connection> {
  const connection = await H1Connection.open(url, { ca: options.ca, connectTimeoutMs: CONNECT_TIMEOUT_MS, signal: options.signal });
  openConnections.add(connection);
  connection.onIdle = (idle) => {
    const list = idleByOrigin.get(key) ?? [];
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      idle.destroy();
      return;
    }
    list.push(idle);
    idleByOrigin.set(key, list);
  };
  connection.onClose = (closed) => {
    openConnections.delete(closed);
    const list = idleByOrigin.get(key);
    const index = list?.indexOf(closed) ?? -1;
    if (list !== undefined && index >= 0) list.splice(index, 1);
  };
  return connection;
}

/** The most recently used idle connection of `key` (the likeliest still open), taken out of the pool. */
function takeIdle(key: string): H1Connection | null {
  const list = idleByOrigin.get(key);
  while (list !== undefined && list.length > 0) {
    const connection = list.pop() as H1Connection;
    if (connection.idle) return connection;
  }
  return null;
}

function exchange(connection: H1Connection, head: string, url: URL, options: DirectRequestOptions): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new DownloadError(C.stalled, undefined, { details: { url: url.href, timeoutMs: options.headersTimeoutMs } });
      connection.destroy(error);
      reject(error);
    }, options.headersTimeoutMs);
    const onAbort = (): void => {
      connection.destroy(options.signal.reason as Error);
      reject(options.signal.reason);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    connection
      .send(head, options.highWaterMark)
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      });
    if (options.signal.aborted) onAbort();
  });
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The request's head. Headers were validated where they were built
 * (headers.ts); checked again here because this is where a line break would
 * become a second request.
 */
export function requestHead(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`];
  let host = url.host;
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw invalidHeader(name, 'not a valid header name');
    // Latin-1 on the wire: a character beyond it cannot be sent as itself.
    if (!isSendable(value)) throw invalidHeader(name, 'contains a line break, NUL or a character outside Latin-1');
    if (name.toLowerCase() === 'host') host = value;
    else lines.push(`${name}: ${value}`);
  }
  lines.splice(1, 0, `host: ${host}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function isSendable(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 0x0d || code === 0x0a || code === 0 || code > 0xff) return false;
  }
  return true;
}

function invalidHeader(name: string, reason: string): DownloadError {
  return new DownloadError(C.invalidArgument, undefined, { details: { name: `request header "${name.slice(0, 100)}"`, reason } });
}
