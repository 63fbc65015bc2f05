/**
 * Skein's own test HTTP server: a real server on 127.0.0.1 (port 0) that plays
 * every fault a download manager meets. Use it from any test:
 *
 *   const server = await startFaultServer();
 *   server.route('/file.bin', { body: patternBytes(4 << 20) });      // ranges, ETag, Last-Modified
 *   server.route('/slow', { body, throttle: 64 * 1024 });              // 64 KiB/s per connection
 *   server.route('/flaky', sequence({ body, dropAfter: 1000 }, { body })); // 1st request drops, then fine
 *   server.route('/busy', { status: 503, retryAfter: '1' });
 *   server.route('/a', { redirect: '/b' }); server.route('/b', { redirect: '/a' }); // a loop
 *   await download(server.url('/file.bin'));
 *   expect(server.requests('/file.bin')[1]?.headers['if-range']).toBe('"4194304-1"');
 *   await server.close();
 *
 * A route is a `RouteSpec` or a function of the request (`{ index, headers, ... }`,
 * index counting requests to that path from 0) returning one, so a route can
 * change the file, fail the first N times, or answer each connection differently.
 *
 * RouteSpec (all optional):
 * - body: the resource (Uint8Array or string). Ranges are served from it unless
 *   `acceptRanges: false` (no Accept-Ranges, Range ignored) or `ignoreRange: true`
 *   (advertises ranges, then answers 200 with the whole body anyway).
 * - etag / lastModified: validators; default a strong ETag `"<size>-<version>"`
 *   and a date, both changing whenever a route gets a new body. `null` omits them.
 *   If-Range is honoured (a mismatch answers 200 with the whole body).
 * - status, statusText, headers (raw values: Latin-1 strings carry any byte),
 *   contentType, contentDisposition (a string, or raw bytes for non-UTF-8 names).
 * - throttle: bytes per second for this response (one connection).
 * - dropAfter: send this many body bytes, then destroy the socket.
 * - stallAfter: send this many body bytes, then send nothing more (socket stays open).
 * - contentLength: a Content-Length to announce instead of the true one (a lie:
 *   shorter bodies are cut by closing the socket; longer ones are sent whole);
 *   'none' sends no Content-Length (the body ends when the connection closes).
 * - extraBytes: after the whole body, send this many more bytes ('X') in the same
 *   write as its last ones, past the announced Content-Length; the connection
 *   stays open unless a header says otherwise (`headers: { Connection: 'close' }`).
 * - redirect: Location for a redirect (status `redirectStatus`, default 302).
 * - retryAfter: a Retry-After header (seconds or an HTTP date).
 * - delayMs: wait this long before the response headers.
 * Unknown paths answer 404.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RouteSpec {
  body?: Uint8Array | string;
  status?: number;
  statusText?: string;
  etag?: string | null;
  lastModified?: string | null;
  acceptRanges?: boolean;
  ignoreRange?: boolean;
  headers?: Record<string, string | string[]>;
  contentType?: string;
  contentDisposition?: string | Uint8Array;
  throttle?: number;
  dropAfter?: number;
  stallAfter?: number;
  contentLength?: number | 'none';
  extraBytes?: number;
  redirect?: string;
  redirectStatus?: number;
  retryAfter?: string;
  delayMs?: number;
}

export interface RecordedRequest {
  /** 0-based count of requests to this path. */
  index: number;
  method: string;
  /** Path with query, as requested. */
  url: string;
  pathname: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Local port of the client's socket: tells connections apart. */
  clientPort: number;
  at: number;
}

export type RouteHandler = (request: RecordedRequest) => RouteSpec;

export interface FaultServer {
  readonly port: number;
  /** "http://127.0.0.1:<port>" */
  readonly origin: string;
  url(path: string): string;
  /** Sets (or replaces: "the file changed") the behaviour of `pathname`. */
  route(pathname: string, spec: RouteSpec | RouteHandler): void;
  /** Requests received, optionally only those to `pathname`. */
  requests(pathname?: string): RecordedRequest[];
  /** Distinct client connections that reached `pathname`. */
  connectionCount(pathname?: string): number;
  /** Closes every connection (stalled ones included) and the server. */
  close(): Promise<void>;
}

/** A route answering each request with the next spec; the last one repeats. */
export function sequence(...specs: RouteSpec[]): RouteHandler {
  if (specs.length === 0) throw new Error('sequence() needs at least one spec');
  return (request) => specs[Math.min(request.index, specs.length - 1)] as RouteSpec;
}

/** Deterministic, non-repeating-looking bytes (so a misplaced range changes the hash). */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index += 4) {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
    if (index + 1 < size) bytes[index + 1] = (state >>> 8) & 0xff;
    if (index + 2 < size) bytes[index + 2] = (state >>> 16) & 0xff;
    if (index + 3 < size) bytes[index + 3] = state >>> 24;
  }
  return bytes;
}

const BASE_DATE = Date.UTC(2024, 0, 1);

export async function startFaultServer(): Promise<FaultServer> {
  const routes = new Map<string, RouteSpec | RouteHandler>();
  const recorded: RecordedRequest[] = [];
  const bodyVersions = new WeakMap<object, number>();
  let nextVersion = 1;
  const sockets = new Set<Socket>();

  const versionOf = (body: Uint8Array): number => {
    let version = bodyVersions.get(body);
    if (version === undefined) {
      version = nextVersion++;
      bodyVersions.set(body, version);
    }
    return version;
  };

  const server = createServer({ keepAlive: true, highWaterMark: 1 << 20 }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const index = recorded.filter((request) => request.pathname === url.pathname).length;
    const request: RecordedRequest = {
      index,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      pathname: url.pathname,
      headers: flattenHeaders(req),
      clientPort: req.socket.remotePort ?? 0,
      at: Date.now(),
    };
    recorded.push(request);
    const route = routes.get(url.pathname);
    const spec: RouteSpec = route === undefined ? { status: 404, body: 'Not found' } : typeof route === 'function' ? route(request) : route;
    serve(req, res, spec, versionOf).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (pathname, spec) => void routes.set(pathname, spec),
    requests: (pathname) => recorded.filter((request) => pathname === undefined || request.pathname === pathname),
    connectionCount: (pathname) =>
      new Set(recorded.filter((request) => pathname === undefined || request.pathname === pathname).map((request) => request.clientPort)).size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a single `bytes=` range against `size`; null when absent or not a single byte range (served whole). */
function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function serve(req: IncomingMessage, res: ServerResponse, spec: RouteSpec, versionOf: (body: Uint8Array) => number): Promise<void> {
  res.strictContentLength = false;
  if (spec.delayMs) await sleep(spec.delayMs);
  for (const [name, value] of Object.entries(spec.headers ?? {})) res.setHeader(name, value);
  if (spec.retryAfter !== undefined) res.setHeader('Retry-After', spec.retryAfter);
  if (spec.contentType !== undefined) res.setHeader('Content-Type', spec.contentType);
  if (spec.contentDisposition !== undefined) {
    const value = spec.contentDisposition;
    res.setHeader('Content-Disposition', typeof value === 'string' ? value : String.fromCharCode(...value));
  }
  if (spec.redirect !== undefined) {
    res.writeHead(spec.redirectStatus ?? 302, { Location: spec.redirect, 'Content-Length': '0' });
    res.end();
    return;
  }
  const body = typeof spec.body === 'string' ? new TextEncoder().encode(spec.body) : (spec.body ?? new Uint8Array(0));
  const status = spec.status ?? 200;
  if (status !== 200) {
    res.statusCode = status;
    if (spec.statusText) res.statusMessage = spec.statusText;
    await sendBody(req, res, body, spec);
    return;
  }

  const version = typeof spec.body === 'object' ? versionOf(spec.body) : 0;
  const etag = spec.etag === undefined ? `"${body.length}-${version}"` : spec.etag;
  const lastModified = spec.lastModified === undefined ? new Date(BASE_DATE + version * 1000).toUTCString() : spec.lastModified;
  if (etag !== null) res.setHeader('ETag', etag);
  if (lastModified !== null) res.setHeader('Last-Modified', lastModified);
  const acceptRanges = spec.acceptRanges ?? true;
  if (acceptRanges) res.setHeader('Accept-Ranges', 'bytes');

  const ifRange = req.headers['if-range'] as string | undefined;
  const validatorMatches = ifRange === undefined || (ifRange.startsWith('"') || ifRange.startsWith('W/') ? ifRange === etag && !ifRange.startsWith('W/') : ifRange === lastModified);
  const range = acceptRanges && !spec.ignoreRange && validatorMatches ? parseRange(req.headers.range, body.length) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${body.length}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  if (range !== null) {
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${body.length}`);
    await sendBody(req, res, body.subarray(range.start, range.end + 1), spec);
    return;
  }
  res.statusCode = 200;
  await sendBody(req, res, body, spec);
}

async function sendBody(req: IncomingMessage, res: ServerResponse, body: Uint8Array, spec: RouteSpec): Promise<void> {
  const announced = spec.contentLength === undefined ? body.length : spec.contentLength;
  if (announced === 'none') res.setHeader('Connection', 'close');
  else res.setHeader('Content-Length', String(announced));
  if (typeof announced === 'number' && announced !== body.length) res.setHeader('Connection', 'close');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let limit = body.length;
  if (typeof announced === 'number' && announced < body.length) limit = body.length; // a "long" lie: send it all
  if (spec.dropAfter !== undefined) limit = Math.min(limit, spec.dropAfter);
  if (spec.stallAfter !== undefined) limit = Math.min(limit, spec.stallAfter);

  const chunk = spec.throttle ? Math.max(1, Math.floor(spec.throttle / 20)) : 256 * 1024;
  const extra = spec.extraBytes ? new Uint8Array(spec.extraBytes).fill(0x58) : null;
  let sent = 0;
  // Headers go out with the first body bytes, as Latin-1 (one byte per char: raw header bytes survive);
  // flushHeaders() would encode them as UTF-8, so it is used only when no body byte will follow.
  if (limit === 0 && extra !== null && body.length === 0) res.write(extra);
  else if (limit === 0) res.flushHeaders();
  while (sent < limit) {
    if (res.destroyed) return;
    let piece = body.subarray(sent, Math.min(limit, sent + chunk));
    sent += piece.length;
    // Past Content-Length (strictContentLength is off), in the same write: the client reads it with the body's end.
    if (extra !== null && sent === body.length) piece = Buffer.concat([piece, extra]);
    if (!res.write(piece)) await waitForDrain(res);
    if (spec.throttle) await sleep((piece.length / spec.throttle) * 1000);
  }
  if (spec.stallAfter !== undefined && spec.stallAfter < body.length) return; // leave the socket open, silent
  if (sent < body.length || (typeof announced === 'number' && announced > sent)) {
    // The connection ends before the body does (dropAfter, or a Content-Length larger than the body).
    const socket = res.socket;
    if (socket !== null) {
      await endSocket(socket);
      socket.destroy();
    }
    return;
  }
  res.end();
}

/** Sends what is buffered, then FIN. Settles on 'close' too: a socket the client already closed never calls end's callback. */
function endSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    socket.once('close', () => resolve());
    socket.end(() => resolve());
  });
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
    // A response that closed (the client went away) before these listeners existed emits neither again.
    if (res.destroyed || !res.writableNeedDrain) done();
  });
}
