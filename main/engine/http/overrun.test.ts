import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { startFaultServer } from '../../testing/fault-server.ts';
import { closeAllPools } from './dispatchers.ts';
import { buildRequestHeaders } from './headers.ts';
import { overrunAfter } from './overrun.ts';
import { openRequest, type HttpResponse } from './request.ts';
import { selfSignedCertificate } from '../../testing/self-signed.ts';

/**
 * Bytes past a response's announced end. A raw TCP server answers each request
 * with exactly the bytes a test gives (`answer`), so the surplus is on the wire
 * as written: same write as the body, later, after a close.
 */

type Answer = (socket: Socket, index: number) => void;

let server: Server;
let origin: string;
let answer: Answer = () => undefined;
/** The client port of the connection that carried each request, in order. */
let ports: number[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      // One answer per request head (GETs have no body).
      for (let count = data.toString('latin1').split('\r\n\r\n').length - 1; count > 0; count--) {
        ports.push(socket.remotePort ?? -1);
        answer(socket, ports.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await closeAllPools();
  ports = [];
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const BODY = '0123456789';
const SURPLUS = 'abcdefghijklmnopqrst';
const head = (extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n${extra}\r\n`;

const get = (url = `${origin}/`): Promise<HttpResponse> =>
  openRequest({ url, headers: buildRequestHeaders({}), proxy: null, signal: new AbortController().signal, headersTimeoutMs: 5000 });

async function text(response: HttpResponse): Promise<string> {
  let out = '';
  for await (const chunk of response.body) out += Buffer.from(chunk as Uint8Array).toString('latin1');
  return out;
}

/** Reads a whole response, then asks what followed it. */
async function readAndCheck(): Promise<{ body: string; overrun: Awaited<ReturnType<typeof overrunAfter>> }> {
  const response = await get();
  const body = await text(response);
  return { body, overrun: await overrunAfter(response.body) };
}

describe('bytes past the announced end of a response', () => {
  it('finds nothing on a clean keep-alive answer, whose connection is then reused', async () => {
    answer = (socket) => socket.write(head() + BODY);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    expect(new Set(ports).size).toBe(1);
  });

  it('finds surplus sent with the body on a keep-alive connection, and never reuses that connection', async () => {
    answer = (socket, index) => socket.write(head() + BODY + (index === 0 ? SURPLUS : ''));
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: { extraBytes: SURPLUS.length } });
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    expect(ports).toHaveLength(2);
    expect(ports[1]).not.toBe(ports[0]);
  });

  it('counts surplus on a connection the server closes (Connection: close, HTTP/1.0)', async () => {
    answer = (socket) => socket.end(head('Connection: close\r\n') + BODY + SURPLUS);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: { extraBytes: SURPLUS.length } });
    answer = (socket) => socket.end(`HTTP/1.0 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}${SURPLUS}`);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: { extraBytes: SURPLUS.length } });
    answer = (socket) => socket.end(head('Connection: close\r\n') + BODY);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
  });

  it('finds surplus after the last chunk of a chunked body', async () => {
    answer = (socket) => socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n${BODY}\r\n0\r\n\r\n${SURPLUS}`);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: { extraBytes: SURPLUS.length } });
  });

  it('tolerates a stray line break after a body, as undici does between answers', async () => {
    answer = (socket) => socket.write(`${head()}${BODY}\r\n`);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    answer = (socket) => socket.end(`${head('Connection: close\r\n')}${BODY}\r\n`);
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
  });

  it('never sends the next request on a connection that received surplus while idle', async () => {
    answer = (socket, index) => {
      socket.write(head() + BODY);
      if (index === 0) setTimeout(() => socket.write(SURPLUS), 20);
    };
    // Too late for the check right after the body; the connection is dropped when the bytes come.
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readAndCheck()).toEqual({ body: BODY, overrun: null });
    expect(ports[1]).not.toBe(ports[0]);
  });

  it('finds the fault server\'s extraBytes on a 200 and on a 206', async () => {
    const faults = await startFaultServer();
    try {
      const body = 'y'.repeat(300_000);
      faults.route('/extra', { body, extraBytes: 20 });
      const whole = await get(faults.url('/extra'));
      expect((await text(whole)).length).toBe(body.length);
      expect(await overrunAfter(whole.body)).toEqual({ extraBytes: 20 });
      const range = await openRequest({ url: faults.url('/extra'), headers: { ...buildRequestHeaders({}), range: 'bytes=100-199' }, proxy: null, signal: new AbortController().signal, headersTimeoutMs: 5000 });
      expect(range.status).toBe(206);
      expect(await text(range)).toBe('y'.repeat(100));
      expect(await overrunAfter(range.body)).toEqual({ extraBytes: 20 });
    } finally {
      await faults.close();
    }
  });
});

describe('bytes past the end over TLS, directly and through a CONNECT tunnel', () => {
  let certDirectory = '';
  let cert = '';
  let tlsServer: Server | null = null;
  let tlsPort = 0;
  let tunnel: Server | null = null;
  let tunnelUrl = '';
  let hasOpenssl = true;
  let tlsAnswer = '';
  let tunnelled = 0;

  beforeAll(async () => {
    certDirectory = await mkdtemp(join(tmpdir(), 'skein-overrun-tls-'));
    const made = selfSignedCertificate(certDirectory);
    if (made === null) {
      hasOpenssl = false;
      return;
    }
    cert = made.cert;
    const key = made.key;
    tlsServer = createTlsServer({ cert, key }, (socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => (tlsAnswer.includes('Connection: close') ? socket.end(tlsAnswer) : socket.write(tlsAnswer)));
    });
    await new Promise<void>((resolve) => tlsServer!.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
    // A forward proxy that only tunnels: bytes pass through it untouched.
    tunnel = createServer((client) => {
      client.on('error', () => undefined);
      client.once('data', (head) => {
        tunnelled++;
        const [host, port] = (/^CONNECT ([^ ]+) /.exec(head.toString('latin1'))?.[1] ?? '').split(':');
        const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
    });
    await new Promise<void>((resolve) => tunnel!.listen(0, '127.0.0.1', resolve));
    tunnelUrl = `http://127.0.0.1:${(tunnel.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeAllPools();
    await Promise.all(
      [tlsServer, tunnel].map((listening) => (listening === null ? undefined : new Promise((resolve) => listening.close(resolve)))),
    );
    await rm(certDirectory, { recursive: true, force: true });
  });

  const secureGet = (proxy: string | null): Promise<HttpResponse> =>
    openRequest({ url: `https://127.0.0.1:${tlsPort}/`, headers: buildRequestHeaders({}), proxy, signal: new AbortController().signal, headersTimeoutMs: 5000, tls: { ca: cert } });

  it('finds surplus on a keep-alive TLS connection and on a closing one, with and without a tunnel', async (context) => {
    if (!hasOpenssl) context.skip();
    for (const proxy of [null, tunnelUrl]) {
      tlsAnswer = head() + BODY + SURPLUS;
      const kept = await secureGet(proxy);
      expect(await text(kept)).toBe(BODY);
      // Skein's own client (no proxy) counts them; undici (through the tunnel) stops at the first byte it cannot place.
      expect(await overrunAfter(kept.body)).toEqual({ extraBytes: proxy === null ? SURPLUS.length : null });
      tlsAnswer = head('Connection: close\r\n') + BODY + SURPLUS;
      const closed = await secureGet(proxy);
      expect(await text(closed)).toBe(BODY);
      expect(await overrunAfter(closed.body)).toEqual({ extraBytes: SURPLUS.length });
      tlsAnswer = head() + BODY;
      const clean = await secureGet(proxy);
      expect(await text(clean)).toBe(BODY);
      expect(await overrunAfter(clean.body)).toBeNull();
    }
    expect(tunnelled).toBe(3);
  });
});
