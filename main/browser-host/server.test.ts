import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BridgeEvent, Reply } from '../../shared/contract/bridge.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

/** A service double: answers echo requests, records releases, lets the test push events. */
function fakeService() {
  const listeners = new Set<(event: BridgeEvent) => void>();
  const released: string[] = [];
  const clients = new Set<string>();
  return {
    released,
    clients,
    emit: (event: BridgeEvent) => listeners.forEach((listener) => listener(event)),
    async handle(client: string, name: unknown, input: unknown): Promise<Reply> {
      clients.add(client);
      if (name !== 'getSettings') return { ok: false, error: { name: 'UnknownRequestError', code: 'ERR_BRIDGE_UNKNOWN_REQUEST', message: 'no' } };
      return { ok: true, value: { echoed: input } };
    },
    onEvent(listener: (event: BridgeEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    releaseClient: (client: string) => void released.push(client),
  };
}

let dir: string;
let host: BrowserHost;
let service: ReturnType<typeof fakeService>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-host-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Skein</title>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'skein-secret.txt'), 'secret');
  service = fakeService();
  host = await startBrowserHost({ service, rendererDir: dir, port: 0, token: 'test-token' });
});

afterEach(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${host.port}`;

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=test-token`);
  });

  it('refuses every HTTP request without the token with 401', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong']) {
      const response = await fetch(`${base()}${path}`);
      expect(response.status, path).toBe(401);
    }
  });

  it('serves the window with the token, sets a strict cookie, and then serves assets by that cookie', async () => {
    const page = await fetch(`${base()}/?token=test-token`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Skein</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/skein_token=test-token; Path=\/; HttpOnly; SameSite=Strict/);
    const asset = await fetch(`${base()}/assets/app.js`, { headers: { cookie: 'skein_token=test-token' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await fetch(`${base()}/..%2f..%2fskein-secret.txt?token=test-token`);
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: '/?token=test-token', headers: { host: 'evil.example:80' } }, (response) => resolve(response.statusCode ?? 0)).end();
    });
    expect(status).toBe(403);
  });

  it('refuses a WebSocket without the token (401) or from another origin (403)', async () => {
    const origin = { origin: base() };
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws`, origin)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws?token=nope`, origin)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws?token=test-token`, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws?token=test-token`)).rejects.toThrow('HTTP 403');
  });

  it('carries requests to the service and events to every page, and releases a page’s results when it goes', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=test-token`, { origin: base() });
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 7, name: 'getSettings', input: { a: 1 } }));
    ws.send(JSON.stringify({ id: 8, name: 'rm -rf', input: {} }));
    await expect.poll(() => frames.length).toBe(2);
    expect(frames).toContainEqual({ id: 7, reply: { ok: true, value: { echoed: { a: 1 } } } });
    expect(frames).toContainEqual({ id: 8, reply: expect.objectContaining({ ok: false }) });
    service.emit({ type: 'reactor', state: 'running', message: null });
    await expect.poll(() => frames.length).toBe(3);
    expect(frames[2]).toEqual({ event: { type: 'reactor', state: 'running', message: null } });
    const [client] = [...service.clients];
    ws.close();
    await expect.poll(() => service.released).toEqual([client]);
    expect(client).toMatch(/^browser:/);
  });

  it('closes a socket that sends something other than a request', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=test-token`, { origin: base() });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1007);
  });
});
