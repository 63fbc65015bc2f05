import { createBridge } from '../../../shared/contract/client.ts';
import type { BridgeEvent, Reply, SkeinBridge } from '../../../shared/contract/bridge.ts';
import type { RequestName } from '../../../shared/contract/requests.ts';
import type { LinkState } from '../stores/connection.ts';

/**
 * The browser host's bridge: the same contract as the preload, over one
 * WebSocket. Frames are JSON:
 *   page → host  { id, name, input }          one request
 *   host → page  { id, reply }                its Reply
 *   host → page  { event }                    a BridgeEvent
 * The socket reconnects with backoff; requests in flight when it drops fail
 * with BridgeDisconnectedError (createBridge turns the rejection into one).
 */

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'message' | 'error', listener: (event: { data?: unknown }) => void): void;
}

export interface WebSocketBridgeOptions {
  url: string;
  /** Creates the socket (a fake in tests). */
  connect?: (url: string) => SocketLike;
  onLinkChange?: (state: LinkState) => void;
  /** Called after a reconnect, so the window can reload what it may have missed. */
  onReconnect?: () => void;
  schedule?: (run: () => void, ms: number) => void;
}

const OPEN = 1;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** Failed reconnects after which the window stops promising that it will come back by itself. */
export const LOST_AFTER_ATTEMPTS = 5;

export function createWebSocketBridge(options: WebSocketBridgeOptions): { bridge: SkeinBridge; close(): void } {
  const connect = options.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const schedule = options.schedule ?? ((run, ms) => void setTimeout(run, ms));
  const listeners = new Set<(event: BridgeEvent) => void>();
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  let queue: string[] = [];
  let nextId = 1;
  let attempt = 0;
  let everOpened = false;
  let closed = false;
  let socket: SocketLike;

  const open = () => {
    socket = connect(options.url);
    socket.addEventListener('open', () => {
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      options.onLinkChange?.('open');
      for (const frame of queue) socket.send(frame);
      queue = [];
      if (reconnected) options.onReconnect?.();
    });
    socket.addEventListener('message', (event) => receive(event.data));
    socket.addEventListener('close', () => {
      for (const request of pending.values()) request.reject(new Error('The connection to Skein was lost'));
      pending.clear();
      queue = [];
      if (closed) return;
      options.onLinkChange?.(attempt >= LOST_AFTER_ATTEMPTS ? 'lost' : 'closed');
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]!;
      attempt += 1;
      schedule(open, delay);
    });
  };

  const receive = (data: unknown) => {
    if (typeof data !== 'string') return;
    let frame: { id?: unknown; reply?: Reply; event?: BridgeEvent };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    if (frame.event) {
      for (const listener of listeners) listener(frame.event);
      return;
    }
    if (typeof frame.id === 'number') {
      const request = pending.get(frame.id);
      pending.delete(frame.id);
      request?.resolve(frame.reply as Reply);
    }
  };

  const invoke = (name: RequestName, input: unknown): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const frame = JSON.stringify({ id, name, input });
      if (socket.readyState === OPEN) {
        pending.set(id, { resolve, reject });
        socket.send(frame);
      } else if (!everOpened && !closed) {
        // The first connection is still opening: sent as soon as it opens.
        pending.set(id, { resolve, reject });
        queue.push(frame);
      } else {
        // Reconnecting: fail now rather than act late on a click the person may have given up on.
        reject(new Error('The connection to Skein was lost'));
      }
    });

  const subscribe = (listener: (event: BridgeEvent) => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  open();
  return {
    bridge: createBridge(invoke, subscribe),
    close() {
      closed = true;
      socket.close();
    },
  };
}

/** ws://host/ws?token=… for the page the browser host served. */
export function socketUrlFor(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
