import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect } from 'node:net';
import { patternBytes, sequence, startFaultServer, type FaultServer } from './fault-server.ts';

/** A raw GET with node:http, so these tests do not depend on the client under test. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; error?: Error; rawHeaders: string[] }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = request(url, { headers, agent: false }, (res) => {
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), rawHeaders: res.rawHeaders }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error, rawHeaders: res.rawHeaders }));
    });
    req.on('error', (error) => resolve({ status: 0, headers: {}, body: Buffer.concat(chunks), error, rawHeaders: [] }));
    req.end();
  });
}

/** Every byte the server sends for one raw GET, until it has been quiet for `quietMs` (or closed). */
function rawGet(port: number, path: string, quietMs = 100): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    let timer = setTimeout(() => socket.destroy(), quietMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

describe('fault server', () => {
  let server: FaultServer;
  const body = patternBytes(100_000);
  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('serves a file whole, with a strong ETag and Last-Modified', async () => {
    server.route('/f', { body });
    const response = await get(server.url('/f'));
    expect(response.status).toBe(200);
    expect(Buffer.compare(response.body, Buffer.from(body))).toBe(0);
    expect(response.headers.etag).toMatch(/^"\d+-\d+"$/);
    expect(response.headers['last-modified']).toMatch(/GMT$/);
    expect(response.headers['accept-ranges']).toBe('bytes');
  });

  it('serves ranges, honours If-Range and answers 416 past the end', async () => {
    server.route('/f', { body });
    const etag = (await get(server.url('/f'))).headers.etag as string;
    const partial = await get(server.url('/f'), { range: 'bytes=10-19', 'if-range': etag });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-range']).toBe(`bytes 10-19/${body.length}`);
    expect([...partial.body]).toEqual([...body.subarray(10, 20)]);
    const stale = await get(server.url('/f'), { range: 'bytes=10-19', 'if-range': '"old"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(body.length);
    const beyond = await get(server.url('/f'), { range: `bytes=${body.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${body.length}`);
  });

  it('changes validators when the file changes, and records requests', async () => {
    server.route('/f', { body });
    const first = await get(server.url('/f'));
    server.route('/f', { body: patternBytes(100_000, 2) });
    const second = await get(server.url('/f'), { 'x-test': 'yes' });
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(second.headers['last-modified']).not.toBe(first.headers['last-modified']);
    expect(server.requests('/f').map((entry) => entry.index)).toEqual([0, 1]);
    expect(server.requests('/f')[1]?.headers['x-test']).toBe('yes');
  });

  it('can ignore ranges, answering 200 with the whole body', async () => {
    server.route('/f', { body, ignoreRange: true });
    const response = await get(server.url('/f'), { range: 'bytes=10-19' });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(body.length);
  });

  it('drops the connection after N bytes, and stalls after N bytes', async () => {
    server.route('/drop', { body, dropAfter: 1000 });
    const dropped = await get(server.url('/drop'));
    expect(dropped.body.length).toBe(1000);
    expect(dropped.error).toBeDefined();

    server.route('/stall', { body, stallAfter: 500 });
    const stalled = await Promise.race([get(server.url('/stall')), new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 300))]);
    expect(stalled).toBe('still waiting');
  });

  it('throttles a connection to about the given rate', async () => {
    server.route('/slow', { body: patternBytes(40_000), throttle: 100_000 });
    const startedAt = Date.now();
    const response = await get(server.url('/slow'));
    const elapsed = Date.now() - startedAt;
    expect(response.body.length).toBe(40_000);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2000);
  });

  it('plays status sequences with Retry-After, redirects, lies and raw header bytes', async () => {
    server.route('/busy', sequence({ status: 503, retryAfter: '2' }, { body }));
    const busy = await get(server.url('/busy'));
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
    expect((await get(server.url('/busy'))).status).toBe(200);

    server.route('/a', { redirect: '/b', redirectStatus: 301 });
    const redirect = await get(server.url('/a'));
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/b');

    server.route('/short', { body, contentLength: body.length + 100 });
    const short = await get(server.url('/short'));
    expect(short.body.length).toBe(body.length);
    expect(short.error).toBeDefined();

    server.route('/raw', { body, contentDisposition: Uint8Array.from([...Buffer.from('attachment; filename="caf'), 0xe9, ...Buffer.from('.txt"')]) });
    const raw = await get(server.url('/raw'));
    const index = raw.rawHeaders.findIndex((name) => name.toLowerCase() === 'content-disposition');
    expect(Buffer.from(raw.rawHeaders[index + 1] ?? '', 'latin1').includes(0xe9)).toBe(true);

    expect((await get(server.url('/nothing-here'))).status).toBe(404);
  });

  it('sends extra bytes past a true Content-Length, keeping the connection open', async () => {
    server.route('/extra', { body: 'hello', extraBytes: 7 });
    const raw = (await rawGet(server.port, '/extra')).toString('latin1');
    expect(raw).toMatch(/\r\ncontent-length: 5\r\n/i);
    expect(raw).not.toMatch(/\r\nconnection: close\r\n/i);
    expect(raw.endsWith('\r\n\r\nhelloXXXXXXX')).toBe(true);
    server.route('/extra-close', { body: patternBytes(300_000), extraBytes: 3, headers: { Connection: 'close' } });
    const closing = await rawGet(server.port, '/extra-close', 2000);
    expect(closing.toString('latin1')).toMatch(/\r\nconnection: close\r\n/i);
    expect(closing.subarray(-3).toString('latin1')).toBe('XXX');
    expect(closing.subarray(-300_003, -3).equals(Buffer.from(patternBytes(300_000)))).toBe(true);
  });

  it('counts distinct client connections', async () => {
    server.route('/f', { body });
    await Promise.all([get(server.url('/f')), get(server.url('/f')), get(server.url('/f'))]);
    expect(server.connectionCount('/f')).toBe(3);
  });
});
