import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, type BridgeEvent, type Reply } from '../../shared/contract/bridge.ts';
import { fileBytes, startTestServer } from '../app/testing/file-server.ts';
import * as fake from './testing/fake-electron.ts';

/**
 * Skein's real main process (main/electron/index.ts) started against a fake
 * Electron (no binary exists here): the reactor runs in a real child process with
 * the real engine; IPC requests are sent the way ipcMain would deliver them.
 */
vi.mock('electron', () => import('./testing/fake-electron.ts'));

let data: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let window: fake.BrowserWindow;

const appFrame = () => ({ url: 'app://skein/index.html', processId: 1, routingId: window.webContents.id });
function invoke(name: string, input: unknown, frame: { url: string; processId: number; routingId: number } = appFrame(), sender = window.webContents): Promise<Reply> {
  const handler = fake.recorded.ipcHandlers.get(CHANNELS.request)!;
  return handler({ sender, senderFrame: frame }, name, input);
}
const value = <T>(reply: Reply): T => {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
};
async function settle(uid: number): Promise<{ state: string; filePath: string }> {
  value(await invoke('resultRetrieve', { uid }));
  for (;;) {
    const reply = await invoke('resultWait', { uid, timeoutMs: 30_000 });
    if (reply.ok) return reply.value as { state: string; filePath: string };
    if (reply.error.code !== 'ERR_REACTOR_TIMEOUT') throw new Error(reply.error.code);
  }
}
const sentEvents = () => window.webContents.sent.filter(([channel]) => channel === CHANNELS.event).map(([, event]) => event as BridgeEvent);

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'skein-main-'));
  process.env.SKEIN_USER_DATA = data;
  delete process.env.SKEIN_STATE_DIR;
  // slow.bin is too small to split (a 2 MB file goes over one connection), so its rate alone sets how
  // long it lasts: long enough to kill the reactor mid-download, short enough to finish after a restart.
  server = await startTestServer({ 'file.bin': { size: 300_000, rate: 0 }, 'slow.bin': { size: 2_000_000, rate: 256 * 1024 } });
  await import('./index.ts');
  await vi.waitFor(() => expect(fake.BrowserWindow.getAllWindows().length).toBe(1), { timeout: 5000 });
  window = fake.BrowserWindow.getAllWindows()[0]!;
});

afterAll(async () => {
  for (const child of fake.recorded.utilityProcesses) child.kill('SIGKILL');
  await server?.close();
  await rm(data, { recursive: true, force: true });
});

describe('the main process', () => {
  it('opens one hardened window on app://skein and locks the session down', async () => {
    expect(window.loadedUrl).toBe('app://skein/index.html');
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(window.options.webPreferences.preload).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(fake.recorded.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    const denied = vi.fn();
    fake.recorded.permissionRequestHandler!(window.webContents, 'media', denied);
    expect(denied).toHaveBeenCalledWith(false);
    expect(fake.recorded.permissionCheckHandler!()).toBe(false);
    expect(window.webContents.windowOpenHandler!({ url: 'https://x.test/' })).toEqual({ action: 'deny' });
    const navigation = { preventDefault: vi.fn() };
    window.webContents.emit('will-navigate', navigation, 'https://evil.test/');
    expect(navigation.preventDefault).toHaveBeenCalled();
    const response: Response = await fake.recorded.protocolHandlers.get('app')!({ method: 'GET', url: 'app://skein/index.html' });
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(fake.recorded.menus).toBe(1);
    expect(fake.recorded.trays.length).toBe(1);
  });

  it('refuses requests from frames that are not the app page', async () => {
    const iframe = { url: 'app://skein/index.html', processId: 1, routingId: 999 };
    expect((await invoke('listDownloads', {}, iframe)) as Reply).toMatchObject({ ok: false, error: { code: 'ERR_BRIDGE_FORBIDDEN_SENDER' } });
    expect(await invoke('listDownloads', {}, { ...appFrame(), url: 'https://evil.test/' })).toMatchObject({ ok: false, error: { code: 'ERR_BRIDGE_FORBIDDEN_SENDER' } });
    const stranger = new fake.FakeWebContents();
    expect(await invoke('listDownloads', {}, { url: 'app://skein/index.html', processId: 1, routingId: stranger.id }, stranger)).toMatchObject({
      ok: false,
      error: { code: 'ERR_BRIDGE_FORBIDDEN_SENDER' },
    });
  });

  it('downloads a file through IPC with the reactor in its own process, and events reach the window', async () => {
    const { started } = value<{ started: Array<{ uid: number }> }>(await invoke('startDownloads', { requests: [{ url: server.url('file.bin'), directory: data }] }));
    const final = await settle(started[0]!.uid);
    expect(final.state).toBe('completed');
    expect((await readFile(final.filePath)).equals(fileBytes(300_000))).toBe(true);
    expect(sentEvents().some((event) => event.type === 'download')).toBe(true);
    expect(fake.recorded.trays[0]!.tooltip).toMatch(/^Skein: /);
  });

  it('a killed utility process is restarted, the window is told, and the download finishes', async () => {
    const { started } = value<{ started: Array<{ uid: number }> }>(await invoke('startDownloads', { requests: [{ url: server.url('slow.bin'), directory: data }] }));
    const finishing = settle(started[0]!.uid);
    // Killed while it downloads (the power-save blocker says so), however long a loaded machine takes to get there.
    await vi.waitFor(() => expect(fake.recorded.powerBlockers.size).toBe(1), { timeout: 10_000 });
    const first = fake.app.getAppMetrics()[0]!.pid;
    process.kill(first!, 'SIGKILL');
    const final = await finishing;
    expect(final.state).toBe('completed');
    expect((await readFile(final.filePath)).equals(fileBytes(2_000_000))).toBe(true);
    expect(sentEvents().some((event) => event.type === 'reactor' && event.state === 'restarting')).toBe(true);
    expect(fake.app.getAppMetrics()[0]!.pid).not.toBe(first);
    await vi.waitFor(() => expect(fake.recorded.powerBlockers.size).toBe(0), { timeout: 5000 });
  });

  it('notifies a completed download, and clicking the notification opens the file', async () => {
    const completed = fake.recorded.notifications.filter((n) => n.options.title === 'Download complete');
    expect(completed.length).toBeGreaterThanOrEqual(1);
    completed[0]!.emit('click');
    await vi.waitFor(() => expect(fake.recorded.opened.at(-1)).toMatch(/file\.bin$/));
  });

  it('the tray pauses and resumes every download', async () => {
    const { started } = value<{ started: Array<{ id: string }> }>(await invoke('startDownloads', { requests: [{ url: server.url('slow.bin'), directory: data }] }));
    const items = (fake.recorded.trays[0]!.menu as { items: Array<{ label?: string; click?: () => void }> }).items;
    items.find((item) => item.label === 'Pause All')!.click!();
    const stateOf = async () => value<Array<{ id: string; state: string }>>(await invoke('listDownloads', {})).find((d) => d.id === started[0]!.id)?.state;
    await vi.waitFor(async () => expect(await stateOf()).toBe('paused'), { timeout: 5000 });
    items.find((item) => item.label === 'Resume All')!.click!();
    await vi.waitFor(async () => expect(await stateOf()).not.toBe('paused'), { timeout: 5000 });
    value(await invoke('cancelDownload', { id: started[0]!.id, deleteFile: true }));
  });

  it('a second launch hands its URLs to the open window', () => {
    fake.app.emit('second-instance', {}, ['skein', 'https://handed.test/over.iso'], '/', { urls: ['https://handed.test/over.iso'] });
    expect(sentEvents().at(-1)).toEqual({ type: 'add-urls', urls: ['https://handed.test/over.iso'] });
  });

  it('a reload releases the page handles; the new page re-attaches with the same uid', async () => {
    const { started } = value<{ started: Array<{ uid: number }> }>(await invoke('startDownloads', { requests: [{ url: server.url('file.bin'), directory: data }] }));
    const { uid } = started[0]!;
    value(await invoke('resultRetrieve', { uid }));
    window.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://skein/index.html' });
    expect(await settle(uid)).toMatchObject({ state: 'completed' });
  });

  it('closing the window remembers its bounds; quitting stops the reactor before the app really quits', async () => {
    window.close();
    await vi.waitFor(async () => expect(JSON.parse(await readFile(join(data, 'window-state.json'), 'utf8'))).toMatchObject({ width: 1100, height: 720 }));
    fake.app.quit();
    // The first quit is held back until the reactor stopped; the app then quits for real.
    await vi.waitFor(() => expect(fake.recorded.quitCalls).toBeGreaterThanOrEqual(2), { timeout: 15_000 });
    expect(fake.app.getAppMetrics()).toEqual([]);
  });
});
