import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeEvent, SkeinBridge } from '../../shared/contract/bridge.ts';
import { createBridge } from '../../shared/contract/client.ts';
import type { ReactorTransport } from '../../shared/reactor/protocol.ts';
import { spawnChildReactor } from '../reactor/child-process-transport.ts';
import { defaultReactorEntry, setup, shutdown } from '../reactor/index.ts';
import { createAppService, type AppService } from './service.ts';
import { headlessPlatform } from './platform.ts';
import { fileBytes, startTestServer } from './testing/file-server.ts';

/**
 * The app's whole main-side path on plain Node, as the Electron e2e tests run it
 * where a binary exists: bridge -> service -> reactor child process -> the real
 * engine -> a local server. Killing the child stands in for a crashed utility process.
 */
const ENGINE_MODULE = fileURLToPath(new URL('../engine/reactor-module.ts', import.meta.url));
const SLOW_SIZE = 3 * 1024 * 1024;

let state: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let service: AppService;
let reactor: ReactorTransport | null = null;
const events: BridgeEvent[] = [];

const windowBridge = (client: string): SkeinBridge =>
  createBridge(
    (name, input) => service.handle(client, name, structuredClone(input)),
    (listener) => service.onEvent(listener),
  );

async function settle(skein: SkeinBridge, uid: number, retrieve = true) {
  const handle = retrieve ? skein.retrieveResult(uid) : null;
  for (;;) {
    try {
      return (await handle!.wait(30_000)) as { state: string; filePath: string };
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_REACTOR_TIMEOUT') throw error;
    }
  }
}

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), 'skein-app-engine-'));
  process.env.SKEIN_STATE_DIR = state;
  server = await startTestServer({ 'small.bin': { size: 200_000, rate: 0 }, 'slow.bin': { size: SLOW_SIZE, rate: 96 * 1024 } });
  setup({
    module: ENGINE_MODULE,
    spawn: () => (reactor = spawnChildReactor({ entry: defaultReactorEntry() })),
    restartPolicy: { initialDelayMs: 50, factor: 2, maxDelayMs: 1000, maxConsecutiveDeaths: 5, stableAfterMs: 10_000 },
  });
  service = createAppService({ host: 'electron', platform: headlessPlatform });
  service.onEvent((event) => events.push(event));
  service.start();
});

afterAll(async () => {
  service?.stop();
  await shutdown();
  await server?.close();
  await rm(state, { recursive: true, force: true });
});

describe('the service over the real engine in a reactor process', () => {
  const request = (name: string) => ({ requests: [{ url: server.url(name), directory: state }] });

  it('downloads a file to completion through a stashed result', async () => {
    const skein = windowBridge('w1');
    const { started } = await skein.startDownloads(request('small.bin'));
    const final = await settle(skein, started[0]!.uid);
    expect(final.state).toBe('completed');
    expect((await readFile(final.filePath)).equals(fileBytes(200_000))).toBe(true);
    expect(events.some((e) => e.type === 'download')).toBe(true);
  });

  it('cancelling the handle cancels the download', async () => {
    const skein = windowBridge('w2');
    const { started } = await skein.startDownloads(request('slow.bin'));
    await skein.retrieveResult(started[0]!.uid).cancel();
    await expect.poll(async () => (await skein.listDownloads({})).find((d) => d.id === started[0]!.id)?.state, { timeout: 10_000 }).toBe('cancelled');
  });

  it('a reloaded window re-attaches with its uid, and a killed reactor is restarted under the wait', async () => {
    const before = windowBridge('w3');
    const { started } = await before.startDownloads(request('slow.bin'));
    const { uid } = started[0]!;
    await before.retrieveResult(uid).wait(10).catch(() => undefined);
    service.releaseClient('w3');
    const after = windowBridge('w3');
    const finishing = settle(after, uid);
    await new Promise((resolve) => setTimeout(resolve, 800));
    reactor!.kill();
    const final = await finishing;
    expect(final.state).toBe('completed');
    expect((await readFile(final.filePath)).equals(fileBytes(SLOW_SIZE))).toBe(true);
    expect(events.some((e) => e.type === 'reactor' && e.state === 'restarting')).toBe(true);
  });
});
