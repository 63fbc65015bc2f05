import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildRequestHeaders } from './headers.ts';
import { closeAllPools } from './dispatchers.ts';
import { openRequest, type HttpResponse } from './request.ts';

/**
 * Keep-alive pooling across requests: a connection is reused when its body was
 * read to the end, never after it failed, and not when the server said
 * `Connection: close`.
 */

let server: Server;
let origin: string;
/** The client port of the connection that carried each request, in order. */
let seen: number[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.socket.remotePort ?? -1);
    const body = Buffer.alloc(64 * 1024, 1);
    if (req.url === '/close') {
      res.writeHead(200, { 'content-length': body.length, connection: 'close' });
      res.end(body);
    } else if (req.url === '/drop') {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 1000), () => req.socket.destroy());
    } else {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await closeAllPools();
  seen = [];
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string): Promise<HttpResponse> =>
  openRequest({ url: `${origin}${path}`, headers: buildRequestHeaders({}), proxy: null, signal: new AbortController().signal, headersTimeoutMs: 5000 });

async function readAll(response: HttpResponse): Promise<number> {
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  return bytes;
}

describe('connection pooling', () => {
  it('reuses connections for requests made one after another (as by different downloads)', async () => {
    for (let index = 0; index < 6; index++) expect(await readAll(await get('/ok'))).toBe(64 * 1024);
    expect(seen).toHaveLength(6);
    // undici may still count the previous connection busy when the next request starts: two at most.
    expect(new Set(seen).size).toBeLessThanOrEqual(2);
  });

  it('honours Connection: close (the next request opens a new connection)', async () => {
    expect(await readAll(await get('/close'))).toBe(64 * 1024);
    expect(await readAll(await get('/ok'))).toBe(64 * 1024);
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('never reuses a connection that failed mid-body', async () => {
    expect(await readAll(await get('/ok'))).toBe(64 * 1024);
    await expect(readAll(await get('/drop'))).rejects.toThrow();
    expect(await readAll(await get('/ok'))).toBe(64 * 1024);
    expect(seen).toHaveLength(3);
    expect(seen[2]).not.toBe(seen[1]);
  });

  it('does not reuse a connection whose body was abandoned unread', async () => {
    const first = await get('/ok');
    first.body.on('error', () => undefined);
    first.body.destroy();
    expect(await readAll(await get('/ok'))).toBe(64 * 1024);
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });
});
