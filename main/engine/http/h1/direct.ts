import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../../shared/download/errors.ts';
import type { H1Body } from './body.ts';
import { H1Connection, STALE_CONNECTION, type Exchange } from './connection.ts';
import { TOKEN } from '../headers.ts';
import { OriginPool } from './origin-pool.ts';

/**
 * Requests that go straight to the server (no proxy) through Skein's own
 * HTTP/1.1 client, with keep-alive connections pooled per origin
 * (origin-pool.ts) and shared by every download of the process. A connection is reused only after its
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

const pools = new Map<string, OriginPool>();

export async function sendDirect(url: URL, headers: Record<string, string>, options: DirectRequestOptions): Promise<DirectResponse> {
  const head = requestHead(url, headers);
  const key = `${url.protocol}//${url.host} ${JSON.stringify(options.ca ?? null)}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new OriginPool();
    pools.set(key, pool);
  }
  const open = (): Promise<H1Connection> => H1Connection.open(url, { ca: options.ca, connectTimeoutMs: CONNECT_TIMEOUT_MS, signal: options.signal });
  for (let attempt = 0; ; attempt++) {
    const { connection, reused } = await pool.acquire(open, options.signal);
    try {
      const { head: response, body } = await exchange(connection, head, url, options);
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      const stale = reused && (error as { [STALE_CONNECTION]?: boolean } | null)?.[STALE_CONNECTION] === true;
      if (stale && attempt < 2 && !options.signal.aborted) continue;
      throw error;
    }
  }
}

/** Closes every connection of the direct route (engine shutdown, tests). */
export async function closeDirectConnections(): Promise<void> {
  for (const pool of pools.values()) pool.closeAll();
  pools.clear();
  // Sockets report their close on the next turns.
  await new Promise<void>((resolve) => setImmediate(resolve));
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
