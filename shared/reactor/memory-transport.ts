import type { Disposer, HostMessage, ReactorEndpoint, ReactorExit, ReactorMessage, ReactorTransport } from './protocol.ts';

/**
 * A transport pair inside one process: messages are structured-cloned and
 * delivered in order on a later task, like a real process boundary. For tests
 * and for noSetup().
 */
export interface MemoryTransportPair {
  transport: ReactorTransport;
  endpoint: ReactorEndpoint;
  /** Simulates the reactor process ending (crash or exit). */
  exit(exit: ReactorExit): void;
}

export function createMemoryTransportPair(): MemoryTransportPair {
  const toReactor = new Set<(message: HostMessage) => void>();
  const toHost = new Set<(message: ReactorMessage) => void>();
  const exitListeners = new Set<(exit: ReactorExit) => void>();
  let closed = false;

  const deliver = <M>(listeners: Set<(message: M) => void>, message: M): void => {
    const copy = structuredClone(message);
    queueMicrotask(() => {
      for (const listener of listeners) listener(copy);
    });
  };

  const subscribe = <L>(listeners: Set<L>, listener: L): Disposer => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  const exit = (info: ReactorExit): void => {
    if (closed) return;
    closed = true;
    // Let messages already in flight arrive first, as a pipe would.
    queueMicrotask(() => {
      for (const listener of [...exitListeners]) listener(info);
      exitListeners.clear();
    });
  };

  return {
    transport: {
      send: (message) => {
        if (closed) return;
        deliver(toReactor, message);
      },
      onMessage: (listener) => subscribe(toHost, listener),
      onExit: (listener) => subscribe(exitListeners, listener),
      kill: () => exit({ code: null, reason: 'killed' }),
    },
    endpoint: {
      send: (message) => {
        if (closed) return;
        deliver(toHost, message);
      },
      onMessage: (listener) => subscribe(toReactor, listener),
    },
    exit,
  };
}
