import { describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import { createBridge } from '../../shared/contract/client.ts';
import { InvalidRequestError } from '../../shared/contract/errors.ts';
import { TimeoutError, UnknownResultError } from '../../shared/reactor/errors.ts';
import { startServiceWithFakeEngine } from './testing/service-harness.ts';

// The whole path a window uses, minus IPC: bridge -> service -> reactor (noSetup) -> fake engine.
const { service, engine } = startServiceWithFakeEngine();
const bridgeFor = (client: string) =>
  createBridge(
    (name, input) => service.handle(client, name, structuredClone(input)),
    (listener: (event: BridgeEvent) => void) => service.onEvent(listener),
  );

describe('the bridge over the service', () => {
  it('starts a download and follows it to completion through a retrieved handle', async () => {
    const skein = bridgeFor('window-1');
    const { started } = await skein.startDownloads({ requests: [{ url: 'https://example.test/a.iso' }] });
    const [download] = started;
    const handle = skein.retrieveResult(download!.uid);
    await expect(handle.wait(20)).rejects.toBeInstanceOf(TimeoutError);
    engine.finish(download!.id, 'completed');
    await expect(handle.wait(5000)).resolves.toMatchObject({ id: download!.id, state: 'completed' });
  });

  it('a second retrieve of the same uid fails with UnknownResultError', async () => {
    const skein = bridgeFor('window-2');
    const { started } = await skein.startDownloads({ requests: [{ url: 'https://example.test/b' }] });
    skein.retrieveResult(started[0]!.uid);
    await expect(skein.retrieveResult(started[0]!.uid).wait(10)).rejects.toBeInstanceOf(UnknownResultError);
  });

  it('cancel through the handle cancels the download', async () => {
    const skein = bridgeFor('window-3');
    const { started } = await skein.startDownloads({ requests: [{ url: 'https://example.test/c' }] });
    await skein.retrieveResult(started[0]!.uid).cancel();
    await expect.poll(() => engine.downloads.get(started[0]!.id)?.state).toBe('cancelled');
  });

  it('invalid input rejects with InvalidRequestError', async () => {
    const skein = bridgeFor('window-4');
    await expect(skein.startDownloads({ requests: [] })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
