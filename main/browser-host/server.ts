import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import type { AppService } from '../app/service.ts';
import { allowedHosts, allowedOrigins, cookieHeader, credentialOf, newToken } from './access.ts';
import { SECURITY_HEADERS, serveFile } from './static-files.ts';
import { attachClient } from './socket-client.ts';

export interface BrowserHostOptions {
  /** The shell's Electron-free service; this host is only a transport for it. */
  service: Pick<AppService, 'handle' | 'onEvent' | 'releaseClient'>;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Fixed for tests; random otherwise. */
  token?: string;
}

export interface BrowserHost {
  port: number;
  token: string;
  /** The address to open: http://127.0.0.1:<port>/?token=… */
  url: string;
  /** Open WebSocket connections. */
  clientCount(): number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
export const SOCKET_PATH = '/ws';

/**
 * The browser host's server: the built renderer over HTTP and the bridge over
 * one WebSocket per page, on 127.0.0.1 only. Every request must carry the token
 * (401 otherwise); the WebSocket must also come from this host's own page.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const connections = new Set<Socket>();
  let port = options.port;

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(text);
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!allowedHosts(port).has(request.headers.host ?? '')) return refuse(response, 403, 'Skein answers only on its loopback address.');
    const credential = credentialOf(request, url, token);
    if (!credential) return refuse(response, 401, 'Skein needs the token from the address it printed at start (…/?token=…).');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Only GET is served here.');
    // Opening the printed URL sets the cookie, so the page's own assets and reloads carry the token too.
    const extra: Record<string, string> = credential === 'query' ? { 'Set-Cookie': cookieHeader(token) } : {};
    void serveFile(options.rendererDir, url.pathname, response, extra).catch(() => refuse(response, 500, 'Could not read the window’s files.'));
  });
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== SOCKET_PATH) return reject(404, 'Not Found');
    if (!allowedHosts(port).has(request.headers.host ?? '')) return reject(403, 'Forbidden');
    if (!credentialOf(request, url, token)) return reject(401, 'Unauthorized');
    if (!allowedOrigins(port).has(request.headers.origin ?? '')) return reject(403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      const detach = attachClient(ws, options.service);
      ws.on('close', () => {
        sockets.delete(ws);
        detach();
      });
    });
  });

  const stopEvents = options.service.onEvent((event: BridgeEvent) => {
    const frame = JSON.stringify({ event });
    for (const ws of sockets) {
      // A page that cannot keep up skips progress batches: the next one supersedes them anyway.
      if (event.type === 'progress' && ws.bufferedAmount > 4 * 1024 * 1024) continue;
      if (ws.readyState === ws.OPEN) ws.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    clientCount: () => sockets.size,
    async close() {
      stopEvents();
      for (const ws of sockets) ws.close(1001, 'Skein is stopping');
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await closed;
    },
  };
}
