/**
 * Starts the BUILT main process (out/main/index.js) under plain Node with
 * `electron` resolved to the fake, downloads one file through its IPC handler,
 * quits, and prints what happened as one JSON line. Run by bundle.test.ts.
 */
import { registerHooks } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const fakeElectron = pathToFileURL(join(import.meta.dirname, 'fake-electron.ts')).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: fakeElectron, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

const outMain = process.argv[2]!;
const data = await mkdtemp(join(tmpdir(), 'skein-bundle-'));
process.env.SKEIN_USER_DATA = data;
delete process.env.SKEIN_STATE_DIR;

const fake = (await import(fakeElectron)) as typeof import('./fake-electron.ts');
const { startTestServer, fileBytes } = await import('../../app/testing/file-server.ts');
const server = await startTestServer({ 'file.bin': { size: 150_000, rate: 0 } });
const result: Record<string, unknown> = {};
try {
  await import(pathToFileURL(outMain).href);
  for (let i = 0; i < 100 && fake.BrowserWindow.getAllWindows().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  const window = fake.BrowserWindow.getAllWindows()[0]!;
  result.preload = window.options.webPreferences.preload;
  const handler = [...fake.recorded.ipcHandlers.values()][0]!;
  const event = { sender: window.webContents, senderFrame: { url: 'app://skein/index.html', processId: 1, routingId: window.webContents.id } };
  const started = await handler(event, 'startDownloads', { requests: [{ url: server.url('file.bin'), directory: data }] });
  const uid = started.value.started[0].uid;
  await handler(event, 'resultRetrieve', { uid });
  const waited = await handler(event, 'resultWait', { uid, timeoutMs: 30_000 });
  result.state = waited.ok ? waited.value.state : waited.error.code;
  result.bytesMatch = waited.ok && (await readFile(waited.value.filePath)).equals(fileBytes(150_000));
  const page = await fake.recorded.protocolHandlers.get('app')!({ method: 'GET', url: 'app://skein/index.html' });
  result.pageStatus = page.status;
  fake.app.quit();
  for (let i = 0; i < 200 && fake.recorded.quitCalls < 2; i++) await new Promise((r) => setTimeout(r, 50));
  result.quit = fake.recorded.quitCalls === 2 && fake.app.getAppMetrics().length === 0;
} catch (error) {
  result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
} finally {
  await server.close();
  await rm(data, { recursive: true, force: true });
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
