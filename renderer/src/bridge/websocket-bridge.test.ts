import { describe, expect, it } from 'vitest';
import type { LinkState } from '../stores/connection.ts';
import { createWebSocketBridge, LOST_AFTER_ATTEMPTS, socketUrlFor, type SocketLike } from './websocket-bridge.ts';

/** A socket the test opens, answers and drops by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  listeners: Record<string, Array<(event: { data?: unknown }) => void>> = {};
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    (this.listeners[type] ??= []).push(listener);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.listeners.open?.forEach((listener) => listener({}));
  }
  receive(frame: unknown) {
    this.listeners.message?.forEach((listener) => listener({ data: JSON.stringify(frame) }));
  }
  drop() {
    this.readyState = 3;
    this.listeners.close?.forEach((listener) => listener({}));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const links: LinkState[] = [];
  const timers: Array<() => void> = [];
  let reconnects = 0;
  const { bridge } = createWebSocketBridge({
    url: 'ws://127.0.0.1:1/ws?token=t',
    connect: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    onLinkChange: (state) => links.push(state),
    onReconnect: () => (reconnects += 1),
    schedule: (run) => void timers.push(run),
  });
  return { bridge, sockets, links, timers, reconnects: () => reconnects };
}

describe('WebSocket bridge', () => {
  it('sends requests made before the socket opens, and resolves them by id', async () => {
    const { bridge, sockets } = setup();
    const settings = bridge.getSettings({});
    sockets[0]!.open();
    const frame = JSON.parse(sockets[0]!.sent[0]!) as { id: number; name: string; input: unknown };
    expect(frame).toMatchObject({ name: 'getSettings', input: {} });
    sockets[0]!.receive({ id: frame.id, reply: { ok: true, value: { theme: 'dark' } } });
    await expect(settings).resolves.toEqual({ theme: 'dark' });
  });

  it('rebuilds errors with their code', async () => {
    const { bridge, sockets } = setup();
    sockets[0]!.open();
    const pause = bridge.pauseDownload({ id: 'x' });
    const { id } = JSON.parse(sockets[0]!.sent[0]!) as { id: number };
    sockets[0]!.receive({ id, reply: { ok: false, error: { name: 'DownloadError', code: 'ERR_DOWNLOAD_NOT_FOUND', message: 'gone' } } });
    await expect(pause).rejects.toMatchObject({ message: 'gone' });
  });

  it('delivers events to every listener until it unsubscribes', () => {
    const { bridge, sockets } = setup();
    sockets[0]!.open();
    const seen: unknown[] = [];
    const stop = bridge.onEvent((event) => seen.push(event));
    sockets[0]!.receive({ event: { type: 'reactor', state: 'running', message: null } });
    stop();
    sockets[0]!.receive({ event: { type: 'reactor', state: 'stopped', message: null } });
    expect(seen).toEqual([{ type: 'reactor', state: 'running', message: null }]);
  });

  it('fails requests in flight when the socket drops, reconnects, and says so', async () => {
    const { bridge, sockets, links, timers, reconnects } = setup();
    sockets[0]!.open();
    const pending = bridge.listDownloads({});
    sockets[0]!.drop();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_BRIDGE_DISCONNECTED' });
    // While reconnecting, a click fails at once instead of acting much later.
    await expect(bridge.pauseAll({})).rejects.toMatchObject({ code: 'ERR_BRIDGE_DISCONNECTED' });
    expect(links).toEqual(['open', 'closed']);
    timers.shift()!();
    sockets[1]!.open();
    expect(links.at(-1)).toBe('open');
    expect(reconnects()).toBe(1);
  });

  it('stops promising a reconnect after repeated failures', () => {
    const { sockets, links, timers } = setup();
    sockets[0]!.open();
    sockets[0]!.drop();
    for (let attempt = 1; attempt <= LOST_AFTER_ATTEMPTS; attempt += 1) {
      timers.shift()!();
      sockets.at(-1)!.drop();
    }
    expect(links.at(-1)).toBe('lost');
  });

  it('puts the page’s token in the socket address', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:7878', search: '?token=a%2Bb' })).toBe('ws://127.0.0.1:7878/ws?token=a%2Bb');
  });
});
