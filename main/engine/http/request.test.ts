import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { buildRequestHeaders } from './headers.ts';
import { discard, openRequest, type HttpRequestOptions } from './request.ts';
import { selfSignedCertificate } from '../../testing/self-signed.ts';

const signal = new AbortController().signal;
const options = (url: string, extra: Partial<HttpRequestOptions> = {}): HttpRequestOptions => ({
  url,
  headers: buildRequestHeaders({}),
  proxy: null,
  signal,
  headersTimeoutMs: 5000,
  ...extra,
});

async function text(response: Awaited<ReturnType<typeof openRequest>>): Promise<string> {
  let out = '';
  for await (const chunk of response.body) out += Buffer.from(chunk as Uint8Array).toString();
  return out;
}

/** A forward proxy for tests: absolute-URI requests for http, CONNECT tunnels for https. */
async function startProxy(refuseConnect = false): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    if (refuseConnect) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A minimal SOCKS5 server (no authentication, CONNECT only) that records the targets. */
async function startSocks5(): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const server = createNetServer((client) => {
    client.once('data', (greeting) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (request) => {
        const type = request[3];
        let host: string;
        let offset: number;
        if (type === 1) {
          host = [...request.subarray(4, 8)].join('.');
          offset = 8;
        } else if (type === 3) {
          const length = request[4] ?? 0;
          host = request.subarray(5, 5 + length).toString();
          offset = 5 + length;
        } else return client.destroy();
        const port = request.readUInt16BE(offset);
        targets.push(`${host}:${port}`);
        const upstream = connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('openRequest', () => {
  let server: FaultServer;
  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('follows a chain of 20 redirects and records the final URL', async () => {
    for (let hop = 0; hop < 20; hop++) server.route(`/r${hop}`, { redirect: `/r${hop + 1}`, redirectStatus: [301, 302, 303, 307, 308][hop % 5]! });
    server.route('/r20', { body: 'arrived' });
    const response = await openRequest(options(server.url('/r0')));
    expect(response.status).toBe(200);
    expect(response.finalUrl).toBe(server.url('/r20'));
    expect(response.redirects).toHaveLength(20);
    expect(await text(response)).toBe('arrived');
  });

  it('refuses the 21st redirect, loops, and redirects to other schemes', async () => {
    for (let hop = 0; hop < 21; hop++) server.route(`/r${hop}`, { redirect: `/r${hop + 1}` });
    server.route('/r21', { body: 'too far' });
    await expect(openRequest(options(server.url('/r0')))).rejects.toMatchObject({ code: C.tooManyRedirects });
    server.route('/self', { redirect: '/self' });
    await expect(openRequest(options(server.url('/self')))).rejects.toMatchObject({ code: C.redirectLoop });
    server.route('/ftp', { redirect: 'ftp://127.0.0.1/file' });
    await expect(openRequest(options(server.url('/ftp')))).rejects.toMatchObject({ code: C.unsupportedScheme });
  });

  it('carries cookies a redirect sets, and drops credentials on a cross-origin redirect', async () => {
    const other = await startFaultServer();
    try {
      server.route('/login', { redirect: '/file', headers: { 'Set-Cookie': ['token=abc; Path=/; HttpOnly', 'b=2'] } });
      // Another host (cookies are scoped by host, not port).
      server.route('/file', { redirect: `http://localhost:${other.port}/elsewhere` });
      other.route('/elsewhere', { body: 'x' });
      const headers = { ...buildRequestHeaders({ cookies: 'session=1' }), authorization: 'Bearer secret' };
      const response = await openRequest(options(server.url('/login'), { headers }));
      discard(response.body);
      expect(server.requests('/file')[0]?.headers.cookie).toBe('session=1; token=abc; b=2');
      expect(server.requests('/file')[0]?.headers.authorization).toBe('Bearer secret');
      expect(other.requests('/elsewhere')[0]?.headers.cookie).toBeUndefined();
      expect(other.requests('/elsewhere')[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('reports an unanswered request as stalled after the headers timeout', async () => {
    server.route('/slow', { body: 'late', delayMs: 2000 });
    await expect(openRequest(options(server.url('/slow'), { headersTimeoutMs: 200 }))).rejects.toMatchObject({ code: C.stalled });
  });

  it('keeps non-UTF-8 header bytes as Latin-1 characters', async () => {
    server.route('/raw', { body: 'x', headers: { 'X-Raw': String.fromCharCode(0x63, 0x61, 0x66, 0xe9) } });
    const response = await openRequest(options(server.url('/raw')));
    discard(response.body);
    expect(response.headers['x-raw']).toBe('café');
  });
});

describe('buildRequestHeaders', () => {
  it('composes user agent, referer, cookies and custom headers, and owns the framing headers', () => {
    const headers = buildRequestHeaders({ headers: { 'X-A': ' 1 ', Range: 'bytes=9-', 'Accept-Encoding': 'gzip' }, cookies: 'a=1', userAgent: 'UA/2', referer: 'http://r/' });
    expect(headers).toMatchObject({ 'x-a': '1', cookie: 'a=1', 'user-agent': 'UA/2', referer: 'http://r/', 'accept-encoding': 'identity' });
    expect(headers.range).toBeUndefined();
  });

  it('refuses header injection, bad names and absurd lengths, and sends non-Latin-1 text as UTF-8 bytes', () => {
    expect(() => buildRequestHeaders({ headers: { 'X-A': 'a\r\nB: c' } })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(() => buildRequestHeaders({ headers: { 'Bad Name': 'x' } })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(() => buildRequestHeaders({ userAgent: 'x'.repeat(20_000) })).toThrow(expect.objectContaining({ code: C.invalidArgument }));
    expect(buildRequestHeaders({ cookies: 'name=€' }).cookie).toBe(String.fromCharCode(...Buffer.from('name=€')));
  });
});

describe('TLS and proxies', () => {
  let certDirectory = '';
  let cert = '';
  let key = '';
  let https: Server | null = null;
  let httpsUrl = '';
  let hasOpenssl = true;

  beforeAll(async () => {
    certDirectory = await mkdtemp(join(tmpdir(), 'skein-tls-'));
    const made = selfSignedCertificate(certDirectory);
    if (made === null) {
      hasOpenssl = false;
      return;
    }
    ({ cert, key } = made);
    https = createHttpsServer({ cert, key }, (_req, res) => {
      res.writeHead(200, { 'Content-Length': '6' });
      res.end('secure');
    });
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', resolve));
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/file`;
  });
  afterAll(async () => {
    if (https) {
      https.closeAllConnections();
      await new Promise((resolve) => https!.close(resolve));
    }
    await rm(certDirectory, { recursive: true, force: true });
  });

  it('fails an untrusted certificate with ERR_TLS and never retries it as plain HTTP', async (context) => {
    if (!hasOpenssl) context.skip();
    const error = await openRequest(options(httpsUrl)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: C.tls, retryable: false });
    const trusted = await openRequest(options(httpsUrl, { tls: { ca: cert } }));
    expect(await text(trusted)).toBe('secure');
  });

  it('goes through a configured proxy, for http and (tunnelled) https', async (context) => {
    if (!hasOpenssl) context.skip();
    const proxy = await startProxy();
    const server = await startFaultServer();
    try {
      server.route('/p', { body: 'via proxy' });
      const plain = await openRequest(options(server.url('/p'), { proxy: proxy.url }));
      expect(await text(plain)).toBe('via proxy');
      expect(proxy.seen).toContain(`GET ${server.url('/p')}`);
      const secure = await openRequest(options(httpsUrl, { proxy: proxy.url, tls: { ca: cert } }));
      expect(await text(secure)).toBe('secure');
      expect(proxy.seen.some((line) => line.startsWith('CONNECT 127.0.0.1:'))).toBe(true);
    } finally {
      await server.close();
      await proxy.close();
    }
  });

  it('goes through a SOCKS5 proxy', async () => {
    const socks = await startSocks5();
    const server = await startFaultServer();
    try {
      server.route('/s', { body: 'via socks' });
      const response = await openRequest(options(server.url('/s'), { proxy: socks.url }));
      expect(await text(response)).toBe('via socks');
      expect(socks.targets).toEqual([`127.0.0.1:${server.port}`]);
    } finally {
      await server.close();
      await socks.close();
    }
  });

  it('follows HTTP_PROXY and honours NO_PROXY; a proxy refusing the tunnel is ERR_PROXY', async (context) => {
    if (!hasOpenssl) context.skip();
    const proxy = await startProxy();
    const refusing = await startProxy(true);
    const server = await startFaultServer();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY, http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy };
    try {
      server.route('/e', { body: 'env' });
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      process.env.HTTP_PROXY = proxy.url;
      delete process.env.NO_PROXY;
      expect(await text(await openRequest(options(server.url('/e'))))).toBe('env');
      expect(proxy.seen).toHaveLength(1);
      process.env.NO_PROXY = '127.0.0.1';
      expect(await text(await openRequest(options(server.url('/e'))))).toBe('env');
      expect(proxy.seen).toHaveLength(1);
      delete process.env.NO_PROXY;
      await expect(openRequest(options(httpsUrl, { proxy: refusing.url, tls: { ca: cert } }))).rejects.toMatchObject({ code: C.proxy });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await server.close();
      await proxy.close();
      await refusing.close();
    }
  });
});
