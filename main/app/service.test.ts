import { mkdtemp, mkdir, rm, symlink, writeFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import type { StartedDownload } from '../../shared/contract/requests.ts';
import type { DownloadSnapshot, Settings } from '../../shared/download/types.ts';
import { codeOf, startServiceWithFakeEngine, valueOf } from './testing/service-harness.ts';

const { service, desktop, engine } = startServiceWithFakeEngine();
const events: BridgeEvent[] = [];
service.onEvent((event) => events.push(event));

async function start(client = 'w1', url = 'https://example.test/file.bin'): Promise<StartedDownload> {
  const { started } = valueOf<{ started: StartedDownload[] }>(await service.handle(client, 'startDownloads', { requests: [{ url }] }));
  return started[0]!;
}

describe('downloads and their stashed results', () => {
  it('startDownloads returns an id and a stash uid whose wait gives the completed download', async () => {
    const { id, uid, snapshot } = await start();
    expect(snapshot.url).toBe('https://example.test/file.bin');
    valueOf(await service.handle('w1', 'resultRetrieve', { uid }));
    const waiting = service.handle('w1', 'resultWait', { uid, timeoutMs: 5000 });
    engine.finish(id, 'completed');
    expect(valueOf<DownloadSnapshot>(await waiting).state).toBe('completed');
  });

  it('a uid is retrieved once, and only the window holding it may use it', async () => {
    const { uid } = await start();
    valueOf(await service.handle('w1', 'resultRetrieve', { uid }));
    expect(codeOf(await service.handle('w1', 'resultRetrieve', { uid }))).toBe('ERR_UNKNOWN_RESULT');
    expect(codeOf(await service.handle('w2', 'resultWait', { uid, timeoutMs: 10 }))).toBe('ERR_UNKNOWN_RESULT');
    expect(codeOf(await service.handle('w2', 'resultCancel', { uid }))).toBe('ERR_UNKNOWN_RESULT');
  });

  it('a wait that times out keeps the result held, and a later wait still gets it', async () => {
    const { id, uid } = await start();
    await service.handle('w1', 'resultRetrieve', { uid });
    expect(codeOf(await service.handle('w1', 'resultWait', { uid, timeoutMs: 20 }))).toBe('ERR_REACTOR_TIMEOUT');
    engine.finish(id, 'completed');
    expect(valueOf<DownloadSnapshot>(await service.handle('w1', 'resultWait', { uid, timeoutMs: 5000 })).id).toBe(id);
    // Waited to completion: no longer held.
    expect(codeOf(await service.handle('w1', 'resultWait', { uid, timeoutMs: 10 }))).toBe('ERR_UNKNOWN_RESULT');
  });

  it('a failed download rejects the wait with the engine error code', async () => {
    const { id, uid } = await start();
    await service.handle('w1', 'resultRetrieve', { uid });
    const waiting = service.handle('w1', 'resultWait', { uid, timeoutMs: 5000 });
    engine.finish(id, 'failed');
    expect(codeOf(await waiting)).toBe('ERR_DOWNLOAD_FAILED');
  });

  it('resultCancel cancels the download itself', async () => {
    const { id, uid } = await start();
    await service.handle('w1', 'resultRetrieve', { uid });
    valueOf(await service.handle('w1', 'resultCancel', { uid }));
    await expect.poll(() => engine.downloads.get(id)?.state).toBe('cancelled');
  });

  it('resultStash hands the result over under a new uid', async () => {
    const { id, uid } = await start();
    await service.handle('w1', 'resultRetrieve', { uid });
    const { uid: again } = valueOf<{ uid: number }>(await service.handle('w1', 'resultStash', { uid }));
    expect(again).toBeGreaterThan(uid);
    expect(codeOf(await service.handle('w1', 'resultWait', { uid, timeoutMs: 10 }))).toBe('ERR_UNKNOWN_RESULT');
    await service.handle('w2', 'resultRetrieve', { uid: again });
    engine.finish(id, 'completed');
    expect(valueOf<DownloadSnapshot>(await service.handle('w2', 'resultWait', { uid: again, timeoutMs: 5000 })).state).toBe('completed');
  });

  it('a reloaded window re-attaches with the uids it kept', async () => {
    const { id, uid } = await start('reloading');
    await service.handle('reloading', 'resultRetrieve', { uid });
    service.releaseClient('reloading');
    expect(codeOf(await service.handle('reloading', 'resultWait', { uid, timeoutMs: 10 }))).toBe('ERR_UNKNOWN_RESULT');
    valueOf(await service.handle('reloading', 'resultRetrieve', { uid }));
    engine.finish(id, 'completed');
    expect(valueOf<DownloadSnapshot>(await service.handle('reloading', 'resultWait', { uid, timeoutMs: 5000 })).state).toBe('completed');
  });

  it('attachDownload stashes a fresh result for a running download and refuses unknown ids', async () => {
    const { id } = await start();
    const { uid } = valueOf<{ uid: number }>(await service.handle('w3', 'attachDownload', { id }));
    await service.handle('w3', 'resultRetrieve', { uid });
    engine.finish(id, 'completed');
    expect(valueOf<DownloadSnapshot>(await service.handle('w3', 'resultWait', { uid, timeoutMs: 5000 })).id).toBe(id);
    expect(codeOf(await service.handle('w3', 'attachDownload', { id: 'nope' }))).toBe('ERR_DOWNLOAD_NOT_FOUND');
  });
});

describe('download commands reach the engine', () => {
  it.each([
    ['pauseDownload', {}, 'paused'],
    ['resumeDownload', {}, 'downloading'],
    ['retryDownload', {}, 'queued'],
    ['cancelDownload', { deleteFile: false }, 'cancelled'],
  ] as const)('%s changes the download state', async (name, extra, state) => {
    const { id } = await start();
    expect(valueOf<DownloadSnapshot>(await service.handle('w1', name, { id, ...extra })).state).toBe(state);
    expect(engine.downloads.get(id)?.state).toBe(state);
  });

  it('refreshUrl, setDownloadSpeedLimit and removeDownload change the download', async () => {
    const { id } = await start();
    expect(valueOf<DownloadSnapshot>(await service.handle('w1', 'refreshUrl', { id, url: 'https://mirror.test/f' })).url).toBe('https://mirror.test/f');
    expect(valueOf<DownloadSnapshot>(await service.handle('w1', 'setDownloadSpeedLimit', { id, bytesPerSecond: 4096 })).speedLimit).toBe(4096);
    expect(valueOf(await service.handle('w1', 'removeDownload', { id, deleteFile: true }))).toBeNull();
    expect(engine.downloads.has(id)).toBe(false);
    expect(valueOf<DownloadSnapshot[]>(await service.handle('w1', 'listDownloads', {})).some((d) => d.id === id)).toBe(false);
  });

  it('pauseAll and resumeAll act on every unfinished download', async () => {
    const { id } = await start();
    valueOf(await service.handle('w1', 'pauseAll', {}));
    expect(engine.downloads.get(id)?.state).toBe('paused');
    valueOf(await service.handle('w1', 'resumeAll', {}));
    expect(engine.downloads.get(id)?.state).toBe('downloading');
  });

  it('settings are read and patched, and the change reaches every window as an event', async () => {
    expect(valueOf<Settings>(await service.handle('w1', 'getSettings', {})).theme).toBe('system');
    const updated = valueOf<Settings>(await service.handle('w1', 'updateSettings', { patch: { theme: 'dark', maxConcurrentDownloads: 5 } }));
    expect(updated).toMatchObject({ theme: 'dark', maxConcurrentDownloads: 5 });
    await expect.poll(() => events.some((e) => e.type === 'settings' && e.settings.theme === 'dark')).toBe(true);
  });
});

describe('events', () => {
  it('engine download and progress events become bridge events', async () => {
    const { id } = await start();
    engine.progress(id, 500);
    await expect.poll(() => events.some((e) => e.type === 'download' && e.change.kind === 'added' && e.change.snapshot.id === id)).toBe(true);
    await expect.poll(() => events.some((e) => e.type === 'progress' && e.updates.some((u) => u.id === id && u.downloadedBytes === 500))).toBe(true);
  });

  it('URLs handed over by a second launch are announced, http(s) only', () => {
    service.announceUrls(['https://a.test/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']);
    expect(events.at(-1)).toEqual({ type: 'add-urls', urls: ['https://a.test/x'] });
  });
});

describe('desktop requests', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await realpath(await mkdtemp(join(tmpdir(), 'skein-service-')));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  async function completedFile(name: string): Promise<string> {
    const { id } = await start('w1', `https://example.test/${name}`);
    engine.finish(id, 'completed', { directory: folder, filePath: join(folder, name), fileName: name });
    return id;
  }

  it('openFile opens a completed download, showInFolder shows it', async () => {
    await writeFile(join(folder, 'done.txt'), 'hello');
    const id = await completedFile('done.txt');
    valueOf(await service.handle('w1', 'openFile', { id }));
    valueOf(await service.handle('w1', 'showInFolder', { id }));
    expect(desktop.opened.at(-1)).toBe(join(folder, 'done.txt'));
    expect(desktop.shown.at(-1)).toBe(join(folder, 'done.txt'));
  });

  it('openFile refuses unfinished downloads, missing files and links out of the folder', async () => {
    const opened = desktop.opened.length;
    const { id: running } = await start();
    expect(codeOf(await service.handle('w1', 'openFile', { id: running }))).toBe('ERR_BRIDGE_PATH_NOT_ALLOWED');
    const missing = await completedFile('gone.txt');
    expect(codeOf(await service.handle('w1', 'openFile', { id: missing }))).toBe('ERR_BRIDGE_PATH_NOT_ALLOWED');
    const outside = await mkdtemp(join(tmpdir(), 'skein-outside-'));
    await writeFile(join(outside, 'secret'), 'x');
    await symlink(join(outside, 'secret'), join(folder, 'link.txt'));
    const linked = await completedFile('link.txt');
    expect(codeOf(await service.handle('w1', 'openFile', { id: linked }))).toBe('ERR_BRIDGE_PATH_NOT_ALLOWED');
    await mkdir(join(folder, 'dir.txt'));
    const directory = await completedFile('dir.txt');
    expect(codeOf(await service.handle('w1', 'openFile', { id: directory }))).toBe('ERR_BRIDGE_PATH_NOT_ALLOWED');
    expect(desktop.opened.length).toBe(opened);
    await rm(outside, { recursive: true, force: true });
  });

  it('openExternal opens http(s) links one click at a time and refuses other schemes', async () => {
    valueOf(await service.handle('x1', 'openExternal', { url: 'https://skein.test/help' }));
    expect(codeOf(await service.handle('x1', 'openExternal', { url: 'https://skein.test/again' }))).toBe('ERR_BRIDGE_EXTERNAL_URL_NOT_ALLOWED');
    expect(codeOf(await service.handle('x2', 'openExternal', { url: 'file:///etc/passwd' }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(codeOf(await service.handle('x2', 'openExternal', { url: 'javascript:alert(1)' }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(desktop.external).toEqual(['https://skein.test/help']);
  });

  it('chooseDirectory and getAppInfo describe the host', async () => {
    expect(valueOf(await service.handle('w1', 'chooseDirectory', {}))).toBe('/picked/folder');
    expect(valueOf(await service.handle('w1', 'getAppInfo', {}))).toEqual({
      version: '1.2.3', platform: 'linux', host: 'electron', reactorState: 'running', canChooseDirectory: true,
    });
  });
});

describe('the boundary', () => {
  it('an unknown request or an invalid input is refused and changes nothing', async () => {
    const before = engine.fingerprint();
    const calls = engine.calls.length;
    expect(codeOf(await service.handle('w1', 'deleteEverything', {}))).toBe('ERR_BRIDGE_UNKNOWN_REQUEST');
    expect(codeOf(await service.handle('w1', '__proto__', {}))).toBe('ERR_BRIDGE_UNKNOWN_REQUEST');
    expect(codeOf(await service.handle('w1', 'startDownloads', { requests: [{ url: 'ftp://x.test/a' }] }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(codeOf(await service.handle('w1', 'pauseDownload', { id: '../../etc' }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(codeOf(await service.handle('w1', 'updateSettings', { patch: { theme: 'dark', extra: 1 } }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(codeOf(await service.handle('w1', 'resultWait', { uid: 1, timeoutMs: 60_000 }))).toBe('ERR_BRIDGE_INVALID_REQUEST');
    expect(engine.fingerprint()).toBe(before);
    expect(engine.calls.length).toBe(calls);
  });

  it('after stop, engine events no longer reach windows', async () => {
    const { id } = await start();
    service.stop();
    const seen = events.length;
    engine.progress(id, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.length).toBe(seen);
  });
});
