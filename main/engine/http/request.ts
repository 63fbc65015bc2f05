import type { Readable } from 'node:stream';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import { dispatcherFor, usesUndici, type TlsOptions } from './dispatchers.ts';
import { sendDirect } from './h1/direct.ts';
import { headersForRedirect } from './headers.ts';
import { toNetworkError } from './network-errors.ts';
import { watchConnection } from './overrun.ts';
import { request as undiciRequest } from './undici.ts';

/**
 * One GET, redirects followed. Straight to the server through Skein's own
 * HTTP/1.1 client (h1/), which reads 256 KiB at a time; through a proxy with
 * undici (measured faster than node:http here: 1 GiB over loopback in 0.85 s /
 * 1.02 s CPU against 0.97 s / 1.20 s, medians of five). Connections are pooled
 * and kept alive per origin either way.
 *
 * The response body is not read here: the caller streams it (and must consume
 * or `discard` it so the connection returns to the pool). A body that ends
 * normally may still have been followed by bytes past its announced end, which
 * are dropped: `overrunAfter(body)` (overrun.ts) tells.
 */

export const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpRequestOptions {
  url: string;
  /** From buildRequestHeaders; Range and If-Range are added per request. */
  headers: Record<string, string>;
  /** Proxy URL, or null to follow HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy: string | null;
  signal: AbortSignal;
  /** How long to wait for response headers before failing with ERR_STALLED. */
  headersTimeoutMs: number;
  /** Bytes the body stream buffers ahead of the reader. */
  highWaterMark?: number;
  maxRedirects?: number;
  /** Extra trust (tests with a local CA). Verification itself is never turned off. */
  tls?: TlsOptions;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; values as sent (Latin-1: one char per byte). */
  headers: Record<string, string>;
  body: Readable;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  /** Every URL that redirected, in order. */
  redirects: string[];
}

/** A header value (repeated headers joined with ", "), or null. */
export function header(response: Pick<HttpResponse, 'headers'>, name: string): string | null {
  return response.headers[name] ?? null;
}

/** Throws ERR_URL_INVALID or ERR_URL_SCHEME_UNSUPPORTED; returns the parsed URL. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new DownloadError(C.invalidUrl, undefined, { cause: error, details: { url: String(text).slice(0, 2000) } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError(C.unsupportedScheme, undefined, { details: { url: text.slice(0, 2000), scheme: url.protocol.replace(/:$/, '') } });
  }
  if (url.hostname === '') throw new DownloadError(C.invalidUrl, undefined, { details: { url: text.slice(0, 2000) } });
  return url;
}

/** Sends a GET and follows redirects (at most 20, loops detected). Rejects with a DownloadError, or the signal's reason. */
export async function openRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const limit = options.maxRedirects ?? MAX_REDIRECTS;
  const seen = new Set<string>();
  const redirects: string[] = [];
  let url = parseHttpUrl(options.url).href;
  let headers = options.headers;
  const cookies = new RedirectCookies();
  for (;;) {
    seen.add(url);
    const response = await sendOnce(url, { ...headers, ...cookies.headerFor(url, headers.cookie) }, options);
    const location = header(response, 'location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      return { ...response, finalUrl: url, redirects };
    }
    discard(response.body);
    cookies.remember(url, response.headers['set-cookie']);
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch (error) {
      throw new DownloadError(C.protocol, undefined, { cause: error, details: { url, reason: `invalid redirect location "${location.slice(0, 200)}"` } });
    }
    parseHttpUrl(next);
    // Revisiting a URL is a loop, unless the hop set a cookie (sign-in flows come back to where they started).
    if (seen.has(next) && !response.headers['set-cookie']) {
      throw new DownloadError(C.redirectLoop, undefined, { details: { url: next, chain: [...redirects, url] } });
    }
    redirects.push(url);
    if (redirects.length > limit) throw new DownloadError(C.tooManyRedirects, undefined, { details: { url: next, limit } });
    headers = headersForRedirect(headers, url, next);
    url = next;
  }
}

async function sendOnce(url: string, headers: Record<string, string>, options: HttpRequestOptions): Promise<Omit<HttpResponse, 'finalUrl' | 'redirects'>> {
  if (options.signal.aborted) throw options.signal.reason;
  const parsed = new URL(url);
  if (!usesUndici(options.proxy, parsed.protocol)) {
    try {
      return await sendDirect(parsed, headers, {
        signal: options.signal,
        headersTimeoutMs: options.headersTimeoutMs,
        highWaterMark: options.highWaterMark ?? 1024 * 1024,
        ca: options.tls?.ca,
      });
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      throw toNetworkError(error, url);
    }
  }
  // Which connection carried the response, so whoever reads its body can ask what came after its end.
  const connection = watchConnection(dispatcherFor(options.proxy, options.tls));
  try {
    const response = await undiciRequest(url, {
      method: 'GET',
      headers,
      signal: options.signal,
      dispatcher: connection.target,
      highWaterMark: options.highWaterMark ?? 1024 * 1024,
      headersTimeout: options.headersTimeoutMs,
      // Stalls in the body are detected by the transfer, which knows when it is itself holding back (speed limits).
      bodyTimeout: 0,
    });
    connection.attach(response.body);
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if ((error as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT') {
      throw new DownloadError(C.stalled, undefined, { cause: error, details: { url, timeoutMs: options.headersTimeoutMs } });
    }
    throw toNetworkError(error, url);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // Set-Cookie values may contain commas (dates): keep them apart with a newline, which no header value contains.
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(name.toLowerCase() === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

/**
 * Closes a body that will not be read (or not to its end). undici reports such
 * a body as aborted with an 'error' event, which is expected here, not a crash.
 */
export function closeBody(body: Readable): void {
  body.on('error', ignore);
  body.destroy();
}

function ignore(): void {}

/** Reads and drops the rest of a body so its connection can be reused; errors are irrelevant here. */
export function discard(body: Readable): void {
  const dumpable = body as Readable & { dump?: (options?: { limit: number }) => Promise<void> };
  if (typeof dumpable.dump === 'function') {
    // Small leftovers are read so the socket stays pooled; anything bigger closes it.
    body.on('error', ignore);
    dumpable.dump({ limit: 128 * 1024 }).catch(ignore);
  } else {
    closeBody(body);
  }
}

/**
 * Cookies a redirect sets for the next hop (sign-in and CDN links often set a
 * cookie, then redirect). Only name=value is kept, for the host that set it.
 */
class RedirectCookies {
  readonly #byHost = new Map<string, Map<string, string>>();

  remember(url: string, setCookie: string | undefined): void {
    if (!setCookie) return;
    const host = new URL(url).hostname;
    const jar = this.#byHost.get(host) ?? new Map<string, string>();
    for (const line of setCookie.split('\n')) {
      const pair = line.split(';')[0] ?? '';
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      jar.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
    }
    this.#byHost.set(host, jar);
  }

  headerFor(url: string, existing: string | undefined): Record<string, string> {
    const jar = this.#byHost.get(new URL(url).hostname);
    if (!jar || jar.size === 0) return {};
    const fromRedirects = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return { cookie: existing ? `${existing}; ${fromRedirects}` : fromRedirects };
  }
}
