import type { Readable } from 'node:stream';

/**
 * Reads a stream chunk by chunk in flowing mode, as it arrived from the socket.
 * Unlike `for await`, which reads whatever is buffered as one concatenated copy,
 * each chunk is handed over as is and the fast path costs no promise.
 *
 * `onChunk` returns true to go on, false to stop reading, or a promise of either:
 * the stream is paused until it settles. Resolves when the stream ends or
 * `onChunk` stops it; rejects with the stream's error, but never before a
 * pending `onChunk` promise has settled (no work outlives the call).
 */
export function consume(body: Readable, onChunk: (chunk: Uint8Array) => boolean | Promise<boolean>): Promise<void> {
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
  });
}

function ignore(): void {}
