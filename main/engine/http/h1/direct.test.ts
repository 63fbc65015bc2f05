import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DOWNLOAD_ERROR_CODES as C } from '../../../../shared/download/errors.ts';
import { closeAllPools } from '../dispatchers.ts';
import { buildRequestHeaders } from '../headers.ts';
import { openRequest, type HttpResponse } from '../request.ts';
import { consume } from '../../transfer/consume.ts';
import { requestHead } from './direct.ts';

/**
 * Skein's own client against a raw TCP server that writes exactly what a test
 * says: requests as they go on the wire, a server that closed a kept-alive
 * connection, bodies framed every way HTTP/1.1 allows.
 */

type Handler = (socket: Socket, request: string, indexOnSocket: number) => void;

let server: Server;
let origin: string;
let handle: Handler = () => undefined;
let connections = 0;
const requests: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    let index = 0;
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const request = pending.slice(0, end + 4);
        pending = pending.slice(end + 4);
        requests.push(request);
        handle(socket, request, index++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await closeAllPools();
  connections = 0;
  requests.length = 0;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path = '/', headers: Record<string, string> = {}): Promise<HttpResponse> =>
  openRequest({ url: `${origin}${path}`, headers: { ...buildRequestHeaders({}), ...headers }, proxy: null, signal: new AbortController().signal, headersTimeoutMs: 5000 });

/** A finished connection is offered again one event-loop turn after its response (connection.ts). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function text(response: HttpResponse): Promise<string> {
  let out = '';
  for await (const chunk of response.body) out += Buffer.from(chunk as Uint8Array).toString('latin1');
  return out;
}

describe('the request on the wire', () => {
  it('is one GET with the path, the query, the host with its port, and the headers as given', () => {
    const head = requestHead(new URL('http://files.example:8080/a%20b/c.bin?x=1&y=2'), { 'user-agent': 'Skein', range: 'bytes=10-' });
    expect(head).toBe('GET /a%20b/c.bin?x=1&y=2 HTTP/1.1\r\nhost: files.example:8080\r\nuser-agent: Skein\r\nrange: bytes=10-\r\n\r\n');
    expect(requestHead(new URL('https://files.example/'), {})).toBe('GET / HTTP/1.1\r\nhost: files.example\r\n\r\n');
  });

  it('refuses a header that would split the request or cannot be sent as Latin-1', () => {
    const url = new URL('http://files.example/');
    expect(() => requestHead(url, { 'x-a': 'a\r\nInjected: 1' })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(() => requestHead(url, { 'bad name': 'x' })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(() => requestHead(url, { 'x-a': 'price in \u20ac' })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(requestHead(url, { 'x-a': 'caf\u00e9' })).toContain('x-a: caf\u00e9\r\n');
  });

  it('sends what the server receives, byte for byte', async () => {
    handle = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(await text(await get('/path?q=1', { referer: 'http://from.example/' }))).toBe('ok');
    expect(requests[0]).toMatch(/^GET \/path\?q=1 HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\n/);
    expect(requests[0]).toContain('\r\nreferer: http://from.example/\r\n');
  });
});

describe('the route', () => {
  it('goes through undici instead when SKEIN_HTTP_CLIENT=undici', async () => {
    handle = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    process.env.SKEIN_HTTP_CLIENT = 'undici';
    try {
      expect(await text(await get('/via-undici'))).toBe('ok');
    } finally {
      delete process.env.SKEIN_HTTP_CLIENT;
    }
    expect(await text(await get('/own'))).toBe('ok');
    // undici says keep-alive in every request; Skein's client leaves it to HTTP/1.1's default.
    expect(requests[0]).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(requests[1]).not.toMatch(/connection:/i);
  });
});

describe('keep-alive connections', () => {
  it('sends a request again on a new connection when the server had closed the idle one', async () => {
    // The second request on any connection finds it closed, as after a server's keep-alive timeout.
    handle = (socket, _request, index) => {
      if (index === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst');
      else socket.destroy();
    };
    expect(await text(await get('/a'))).toBe('first');
    await nextTurn();
    expect(await text(await get('/b'))).toBe('first');
    expect(connections).toBe(2);
    expect(requests.map((request) => request.split(' ')[1])).toEqual(['/a', '/b', '/b']);
  });

  it('does not send again once the server answered part of a response', async () => {
    handle = (socket, _request, index) => {
      if (index === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst');
      else socket.end('HTTP/1.1 200 OK\r\nContent-Le');
    };
    expect(await text(await get('/a'))).toBe('first');
    await nextTurn();
    await expect(get('/b')).rejects.toMatchObject({ code: C.connectionReset });
    expect(requests).toHaveLength(2);
  });
});

describe('response bodies, framed every way', () => {
  it('reads a chunked body, and reuses its connection', async () => {
    handle = (socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n');
    expect(await text(await get())).toBe('hello world');
    await nextTurn();
    expect(await text(await get())).toBe('hello world');
    expect(connections).toBe(1);
  });

  it('reads a body that ends when the server closes, and never reuses that connection', async () => {
    handle = (socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    expect(await text(await get())).toBe('until the end');
    await nextTurn();
    expect(await text(await get())).toBe('until the end');
    expect(connections).toBe(2);
  });

  it('skips an interim 103 Early Hints answer', async () => {
    handle = (socket) => socket.write('HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody');
    const response = await get();
    expect(response.status).toBe(200);
    expect(await text(response)).toBe('body');
  });

  it('fails a malformed answer with a protocol error', async () => {
    handle = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n');
    await expect(get()).rejects.toMatchObject({ code: C.protocol });
    handle = (socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await expect(get()).rejects.toMatchObject({ code: C.protocol });
  });
});

describe('a reader that holds back', () => {
  it('keeps the connection from reading on: the server can send no more than the socket buffers hold', async () => {
    const total = 64 * 1024 * 1024;
    let flushed = 0;
    handle = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
      const piece = Buffer.alloc(1024 * 1024, 7);
      let sent = 0;
      const more = (): void => {
        while (sent < total) {
          sent += piece.length;
          const ok = socket.write(piece, () => (flushed += piece.length));
          if (!ok) {
            socket.once('drain', more);
            return;
          }
        }
      };
      more();
    };
    const response = await get('/big');
    let received = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const reading = consume(response.body, (chunk) => {
      received += chunk.byteLength;
      if (!first) return true;
      first = false;
      return held.then(() => true);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // What the kernel buffers on both sides of a loopback connection: a few MiB, nowhere near the 64 MiB sent.
    expect(flushed).toBeLessThan(24 * 1024 * 1024);
    release();
    await reading;
    expect(received).toBe(total);
  });
});
