import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { startFaultServer, type FaultServer } from '../../main/testing/fault-server.ts';

/**
 * Everything an end-to-end flow needs: the project's fault-injecting HTTP
 * server, the real browser host (`npm run serve` on port 0: real reactor,
 * engine, app service) and Debian's Chromium driven by Playwright.
 */

export const root = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.SKEIN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Harness {
  faults: FaultServer;
  /** http://127.0.0.1:<port>/?token=… as printed by the host. */
  url: string;
  origin: string;
  token: string;
  browser: Browser;
  downloadDir: string;
  /** Calls the contract over the host's WebSocket, as a page would. */
  call<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Stops the browser host alone (pages stay open), as when someone presses Ctrl+C. */
  stopHost(): Promise<void>;
  stop(): Promise<void>;
}

async function startHost(stateDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(root, 'main/browser-host/main.ts'), '--port', '0', '--state-dir', stateDir], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the browser host did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Skein is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.SKEIN_E2E_VERBOSE) process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the browser host exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, url };
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set SKEIN_CHROMIUM.`);
  const scratch = await mkdtemp(join(tmpdir(), 'skein-e2e-'));
  const stateDir = join(scratch, 'state');
  const downloadDir = join(scratch, 'downloads');
  const faults = await startFaultServer();
  const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DOWNLOAD_DIR: downloadDir };
  const { child, url } = await startHost(stateDir, env);
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const origin = parsed.origin;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const socket = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${token}`, { headers: { origin } });
  await new Promise((resolvePromise, reject) => {
    socket.once('open', resolvePromise);
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { id?: number; reply?: { ok: boolean; value?: unknown; error?: { message: string } } };
    if (frame.id !== undefined && frame.reply) waiting.get(frame.id)?.(frame.reply);
  });
  const call = <T>(name: string, input: unknown) =>
    new Promise<T>((resolvePromise, reject) => {
      const id = nextId++;
      waiting.set(id, (reply) => (reply.ok ? resolvePromise(reply.value as T) : reject(new Error(`${name}: ${reply.error?.message}`))));
      socket.send(JSON.stringify({ id, name, input }));
    });

  async function stopHost(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  return {
    faults,
    url,
    origin,
    token,
    browser,
    downloadDir,
    call,
    stopHost,
    async stop() {
      socket.close();
      await browser.close().catch(() => undefined);
      await stopHost();
      await faults.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
