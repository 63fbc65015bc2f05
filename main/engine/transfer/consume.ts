import type { Readable } from 'node:stream';
import { H1Body } from '../http/h1/body.ts';

/**
 * Reads a stream chunk by chunk in flowing mode, as it arrived from the socket.
 * Unlike `for await`, which reads whatever is buffered as one concatenated copy,
 * each chunk is handed over as is and the fast path costs no promise.
 *
 * `onChunk` returns true to go on, false to stop reading, or a promise of either:
 * the stream is paused until it settles. Resolves when the stream ends or
 * `onChunk` stops it; rejects with the stream's error, but never before a
 * pending `onChunk` promise has settled (no work outlives the call).
 *
 * A body may fail or close before anyone reads it (undici destroys it as soon as
 * its socket drops, while the caller is still busy with the headers): its
 * 'error' and 'close' have then already been emitted, so the stream's state is
 * read as well as its events, and such a body settles the call at once.
 */
export function consume(body: Readable, onChunk: (chunk: Uint8Array) => boolean | Promise<boolean>): Promise<void> {
  // Skein's own client hands its chunks over without a stream's machinery.
  if (body instanceof H1Body) return body.stream(onChunk);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let pending: Promise<unknown> | null = null;
    let ended = false;

    const cleanup = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      // Keep a listener: a destroyed body may still report its abort, which is expected now.
      body.on('error', ignore);
      const done = (): void => (error === undefined ? resolve() : reject(error));
      if (pending !== null) pending.then(done, done);
      else done();
    };
    const onData = (chunk: Uint8Array): void => {
      if (settled) return;
      let result: boolean | Promise<boolean>;
      try {
        result = onChunk(chunk);
      } catch (error) {
        finish(error);
        return;
      }
      if (result === true) return;
      if (result === false) {
        finish();
        return;
      }
      body.pause();
      const current = result.then(
        (more) => {
          pending = null;
          if (settled) return;
          if (!more || ended) finish();
          else body.resume();
        },
        (error: unknown) => {
          pending = null;
          finish(error);
        },
      );
      pending = current;
    };
    const onEnd = (): void => {
      ended = true;
      if (pending === null) finish();
    };
    const onError = (error: unknown): void => finish(error);
    const onClose = (): void => {
      if (!ended) finish(Object.assign(new Error('The response ended before its body was complete'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };

    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
    // Events that fired before these listeners existed are never repeated.
    if (body.readableEnded) onEnd();
    else if (body.errored !== null) onError(body.errored);
    else if (body.destroyed) onClose();
  });
}

function ignore(): void {}

/** Whether a body was read to the end its framing announced. */
export function bodyEnded(body: Readable): boolean {
  return body instanceof H1Body ? body.completed : body.readableEnded;
}
