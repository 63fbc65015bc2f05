/**
 * Coalesces the messages sent in one turn of the event loop into one IPC write.
 * Under load (many calls or results at once) this is most of the throughput;
 * a lone message goes out unwrapped after a microtask, so latency is unchanged.
 */
export interface Batcher<M> {
  push(message: M): void;
  /** Sends what is queued now (before a stop, or an exit). */
  flush(): void;
}

export function createBatcher<M extends { t: string }>(
  send: (message: M | { t: 'batch'; messages: M[] }) => void,
  /** A message of the batch could not be sent (not cloneable, channel closed). */
  onSendError: (message: M, error: unknown) => void,
): Batcher<M> {
  let queued: M[] = [];
  let scheduled = false;

  const sendOne = (message: M): void => {
    try {
      send(message);
    } catch (error) {
      onSendError(message, error);
    }
  };

  const flush = (): void => {
    scheduled = false;
    const messages = queued;
    queued = [];
    if (messages.length === 0) return;
    if (messages.length === 1) {
      sendOne(messages[0] as M);
      return;
    }
    try {
      send({ t: 'batch', messages });
    } catch {
      // One bad message must not sink the others: retry them one by one.
      for (const message of messages) sendOne(message);
    }
  };

  return {
    push(message) {
      queued.push(message);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    flush,
  };
}
