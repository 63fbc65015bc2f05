import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { H1Body } from './h1/body.ts';

/**
 * Bytes a server sends past the end it announced (Content-Length, or the last
 * chunk). undici's parser stops at that end and completes the response as if
 * all were well: the body ends normally and nobody is told. What follows the
 * end (observed with undici 7.30):
 *
 * - on a keep-alive connection the parser reads it as the start of an answer
 *   nobody asked for and destroys the socket with SocketError "bad response",
 *   at once when it came with the body's last bytes, else whenever it arrives
 *   while the connection is idle (undici waits an event-loop turn before sending
 *   on an idle connection, so it never sends on one already holding such bytes);
 * - on a connection that closes after the response (Connection: close, HTTP/1.0)
 *   the parser pauses at the end, destroys the socket and gives the rest back
 *   with `socket.unshift`, where it is dropped unread.
 *
 * So the surplus never reaches a file, but the reader of a body must ask, once
 * it has ended, whether its connection saw more: `overrunAfter`. Sockets are
 * learnt from undici's `undici:client:sendHeaders` diagnostics channel (one
 * message per request, with its socket); a request is matched to its response
 * by the `abort` function undici hands to both. Nothing here runs per chunk:
 * the one hook on the data path, `unshift`, runs when undici pauses the parser.
 */

export interface Overrun {
  /** Bytes seen past the end, when undici kept them; null when it stopped at the first. */
  extraBytes: number | null;
}

/** The handler undici's request API makes for each request (`abort` is set once it is sent). */
interface RequestHandlerLike {
  abort?: unknown;
  onConnect?: (abort: unknown, context?: unknown) => unknown;
}

interface SocketWatch {
  /** The request sent last on this socket: bytes after the end are its response's. */
  lastRequest: unknown;
  /** Bytes undici put back past the last response of a socket it had just destroyed. */
  droppedBytes: number;
}

/** `abort` functions of requests sent through `watchConnection`: other undici users are left alone. */
const ownRequests = new WeakSet<object>();
const socketOfRequest = new WeakMap<object, Socket>();
const requestOfBody = new WeakMap<Readable, object>();
const watches = new WeakMap<Socket, SocketWatch>();

subscribe('undici:client:sendHeaders', (message) => {
  const { request, socket } = message as { request: { abort?: unknown }; socket: Socket };
  const key = request.abort;
  if (typeof key !== 'function' || !ownRequests.has(key)) return;
  let watch = watches.get(socket);
  if (watch === undefined) {
    watch = { lastRequest: null, droppedBytes: 0 };
    watches.set(socket, watch);
    noticeDroppedBytes(socket, watch);
  }
  watch.lastRequest = key;
  socketOfRequest.set(key, socket);
});

function noticeDroppedBytes(socket: Socket, watch: SocketWatch): void {
  const unshift = socket.unshift;
  // undici gives back what follows a paused parse: on a live socket, body bytes it reads again later; on
  // one it destroyed at a response's end, bytes past that end. Line breaks alone are tolerated (as undici
  // does between keep-alive responses).
  socket.unshift = function (this: Socket, chunk: Uint8Array | string, encoding?: BufferEncoding): void {
    if (this.destroyed && hasContent(chunk)) watch.droppedBytes += chunk.length;
    unshift.call(this, chunk, encoding);
  };
}

function hasContent(chunk: Uint8Array | string): boolean {
  for (let index = 0; index < chunk.length; index++) {
    const code = typeof chunk === 'string' ? chunk.charCodeAt(index) : (chunk[index] as number);
    if (code !== 0x0d && code !== 0x0a) return true;
  }
  return false;
}

/**
 * Sends through `dispatcher` while remembering which request undici made:
 * call undici's request API on `target`, then `attach` the response's body.
 */
export function watchConnection(dispatcher: Dispatcher): { target: Pick<Dispatcher, 'dispatch'>; attach(body: Readable): void } {
  let handler: RequestHandlerLike | null = null;
  return {
    target: {
      dispatch: (options, given) => {
        handler = given as RequestHandlerLike;
        tagWhenSent(handler);
        return dispatcher.dispatch(options, given);
      },
    },
    attach: (body) => {
      const key = handler?.abort;
      if (typeof key === 'function') requestOfBody.set(body, key);
    },
  };
}

function tagWhenSent(handler: RequestHandlerLike): void {
  const onConnect = handler.onConnect;
  if (typeof onConnect !== 'function') return;
  handler.onConnect = (abort, context) => {
    if (typeof abort === 'function') ownRequests.add(abort);
    return onConnect.call(handler, abort, context);
  };
}

/**
 * For a body that ended normally: whether its connection received bytes past
 * its end. Waits one event-loop turn first, so bytes that came right behind
 * the body's last ones have been parsed. Null when clean, or when unknown (a
 * connection undici did not report; a connection reused since, which undici
 * only does once it saw nothing more).
 */
export async function overrunAfter(body: Readable): Promise<Overrun | null> {
  if (body instanceof H1Body) {
    // Skein's own client records it on the body, with what came with the last bytes or while idle since.
    await nextTurn();
    return body.overrun;
  }
  const key = requestOfBody.get(body);
  const socket = key === undefined ? undefined : socketOfRequest.get(key);
  if (socket === undefined) return null;
  await nextTurn();
  const watch = watches.get(socket);
  if (watch === undefined || watch.lastRequest !== key) return null;
  if (watch.droppedBytes > 0) return { extraBytes: watch.droppedBytes };
  return isSurplusError(socket.errored) ? { extraBytes: null } : null;
}

/** How undici destroys a socket on which bytes arrived with no request waiting for them. */
function isSurplusError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  return (code === 'UND_ERR_SOCKET' && message === 'bad response') || name === 'HTTPParserError';
}
