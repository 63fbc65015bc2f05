import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SkeinBridge } from '../../shared/contract/bridge.ts';
import { freshDataFolder, launchSkein, reactorPid, skipReason, waitForResultInPage, type RunningApp } from './harness.ts';
import { fileBytes, startTestServer } from '../../main/app/testing/file-server.ts';

const reason = skipReason();
if (reason) console.log(`skein: skipping the Electron end-to-end tests: ${reason}`);

type Started = { started: Array<{ id: string; uid: number }> };
// Page functions run in the window; this file is type-checked with Node's lib.
declare const window: { skein: SkeinBridge; location: { href: string }; open(url: string): unknown };

describe.skipIf(reason !== null)('Skein in Electron', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let data: string;
  let running: RunningApp;

  beforeAll(async () => {
    server = await startTestServer({
      'small.bin': { size: 256 * 1024, rate: 0 },
      'slow.bin': { size: 4 * 1024 * 1024, rate: 96 * 1024 },
    });
    data = await freshDataFolder();
    running = await launchSkein(data);
  });
  afterAll(async () => {
    await running?.app.close().catch(() => undefined);
    await server?.close();
    await rm(data, { recursive: true, force: true });
  });

  const start = (url: string): Promise<Started> =>
    running.page.evaluate(({ url, directory }) => window.skein.startDownloads({ requests: [{ url, directory }] }), { url, directory: data });

  it('starts with one window on app://skein exposing only the bridge', async () => {
    expect(running.page.url()).toMatch(/^app:\/\/skein\//);
    const exposed = await running.page.evaluate(() => ({
      keys: Object.keys(window.skein).sort(),
      node: typeof (globalThis as { require?: unknown }).require + typeof (globalThis as { process?: unknown }).process,
    }));
    expect(exposed.node).toBe('undefinedundefined');
    expect(exposed.keys).toContain('retrieveResult');
    expect(exposed.keys).toContain('onEvent');
    expect(exposed.keys).not.toContain('invoke');
  });

  it('the window runs with secure web preferences and a strict CSP', async () => {
    const preferences = await running.app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      // Electron's own record of what the page runs with (used by Electron's tests; not in the typings).
      const read = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
      const { contextIsolation, sandbox, nodeIntegration, webSecurity, webviewTag } = read ?? {};
      return { contextIsolation, sandbox, nodeIntegration, webSecurity, webviewTag };
    });
    expect(preferences).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    const csp = await running.page.evaluate(() => fetch(window.location.href).then((r) => r.headers.get('content-security-policy')));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(await running.page.evaluate(() => window.open('https://example.test/'))).toBeNull();
  });

  it('downloads a file from a local server to completion, with progress events', async () => {
    await running.page.evaluate(() => {
      (globalThis as { seen?: string[] }).seen = [];
      window.skein.onEvent((event) => (globalThis as unknown as { seen: string[] }).seen.push(event.type));
    });
    const { started } = await start(server.url('small.bin'));
    const final = await waitForResultInPage(running.page, started[0]!.uid);
    expect(final.state).toBe('completed');
    expect((await readFile(final.filePath)).equals(fileBytes(256 * 1024))).toBe(true);
    expect(await running.page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen)).toContain('download');
  });

  it('cancelling the handle cancels the download', async () => {
    const { started } = await start(server.url('slow.bin'));
    const state = await running.page.evaluate(async ({ uid, id }) => {
      await window.skein.retrieveResult(uid).cancel();
      for (let i = 0; i < 100; i++) {
        const found = (await window.skein.listDownloads({})).find((d) => d.id === id);
        if (found?.state === 'cancelled') return found.state;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return 'not cancelled';
    }, started[0]!);
    expect(state).toBe('cancelled');
  });

  it('a reloaded window re-attaches to a running download through its stash uid', async () => {
    const { started } = await start(server.url('slow.bin'));
    const { uid } = started[0]!;
    // The page takes the result, then reloads while the download runs.
    await running.page.evaluate((uid) => window.skein.retrieveResult(uid).wait(10).catch(() => undefined), uid);
    await running.page.reload();
    await running.page.waitForFunction(() => typeof window.skein === 'object');
    const final = await waitForResultInPage(running.page, uid);
    expect(final.state).toBe('completed');
  });

  it('killing the reactor process restarts it and the download still finishes', async () => {
    const { started } = await start(server.url('slow.bin'));
    const waiting = waitForResultInPage(running.page, started[0]!.uid);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pid = await reactorPid(running.app);
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    const final = await waiting;
    expect(final.state).toBe('completed');
    expect(await reactorPid(running.app)).not.toBe(pid);
    expect((await readFile(final.filePath)).equals(fileBytes(4 * 1024 * 1024))).toBe(true);
  });

  it('quitting and relaunching keeps the download history', async () => {
    const before = await running.page.evaluate(() => window.skein.listDownloads({}));
    expect(before.some((d) => d.state === 'completed')).toBe(true);
    await running.app.close();
    running = await launchSkein(data);
    const after = await running.page.evaluate(() => window.skein.listDownloads({}));
    expect(after.map((d) => d.id).sort()).toEqual(before.map((d) => d.id).sort());
    expect(after.filter((d) => d.state === 'completed').length).toBeGreaterThanOrEqual(before.filter((d) => d.state === 'completed').length);
  });
});
