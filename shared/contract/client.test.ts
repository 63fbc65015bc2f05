import { describe, expect, it } from 'vitest';
import { TimeoutError, UnknownResultError } from '../reactor/errors.ts';
import { serializeError } from '../errors/base.ts';
import type { BridgeEvent, Reply } from './bridge.ts';
import { asBridgeError, createBridge, MAX_WAIT_MS } from './client.ts';
import { InvalidRequestError, BridgeDisconnectedError } from './errors.ts';
import type { RequestName } from './requests.ts';

function recordingTransport(answer: (name: RequestName, input: unknown) => Reply | Promise<Reply>) {
  const sent: Array<{ name: RequestName; input: unknown }> = [];
  const listeners = new Set<(event: BridgeEvent) => void>();
  return {
    sent,
    push: (event: BridgeEvent) => listeners.forEach((listener) => listener(event)),
    invoke: async (name: RequestName, input: unknown) => {
      sent.push({ name, input });
      return answer(name, input);
    },
    subscribe: (listener: (event: BridgeEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

describe('createBridge', () => {
  it('turns every request into a function resolving with the reply value', async () => {
    const transport = recordingTransport(() => ({ ok: true, value: [] }));
    const bridge = createBridge(transport.invoke, transport.subscribe);
    await expect(bridge.listDownloads({})).resolves.toEqual([]);
    await expect(bridge.pauseDownload({ id: 'a' })).resolves.toEqual([]);
    expect(transport.sent).toEqual([
      { name: 'listDownloads', input: {} },
      { name: 'pauseDownload', input: { id: 'a' } },
    ]);
  });

  it('rebuilds errors as their own class by code', async () => {
    const transport = recordingTransport(() => ({ ok: false, error: serializeError(new InvalidRequestError('bad id')) }));
    const bridge = createBridge(transport.invoke, transport.subscribe);
    const error = await bridge.pauseDownload({ id: '!' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).code).toBe('ERR_BRIDGE_INVALID_REQUEST');
  });

  it('can reject with plain serialized errors (for contextBridge) that asBridgeError rebuilds', async () => {
    const transport = recordingTransport(() => ({ ok: false, error: serializeError(new UnknownResultError('gone')) }));
    const bridge = createBridge(transport.invoke, transport.subscribe, { rejectWith: 'serialized' });
    const reason = await bridge.resultCancel({ uid: 3 }).catch((e: unknown) => e);
    expect(reason).not.toBeInstanceOf(Error);
    expect(reason).toMatchObject({ code: 'ERR_UNKNOWN_RESULT', message: 'gone' });
    expect(asBridgeError(reason)).toBeInstanceOf(UnknownResultError);
  });

  it('a transport failure becomes BridgeDisconnectedError', async () => {
    const transport = recordingTransport(() => Promise.reject(new Error('render frame disposed')));
    const bridge = createBridge(transport.invoke, transport.subscribe);
    await expect(bridge.getSettings({})).rejects.toBeInstanceOf(BridgeDisconnectedError);
  });

  it('retrieveResult returns a handle at once and sends its operations after the retrieve', async () => {
    const transport = recordingTransport((name) => {
      if (name === 'resultWait') return { ok: false, error: serializeError(new TimeoutError('not yet')) };
      if (name === 'resultStash') return { ok: true, value: { uid: 8 } };
      return { ok: true, value: null };
    });
    const bridge = createBridge(transport.invoke, transport.subscribe);
    const handle = bridge.retrieveResult(7);
    await expect(handle.wait(Infinity)).rejects.toBeInstanceOf(TimeoutError);
    await expect(handle.stash()).resolves.toBe(8);
    await handle.cancel();
    expect(transport.sent).toEqual([
      { name: 'resultRetrieve', input: { uid: 7 } },
      { name: 'resultWait', input: { uid: 7, timeoutMs: MAX_WAIT_MS } },
      { name: 'resultStash', input: { uid: 7 } },
      { name: 'resultCancel', input: { uid: 7 } },
    ]);
  });

  it('a failed retrieve fails every operation of the handle', async () => {
    const transport = recordingTransport(() => ({ ok: false, error: serializeError(new UnknownResultError('taken')) }));
    const bridge = createBridge(transport.invoke, transport.subscribe);
    const handle = bridge.retrieveResult(1);
    await expect(handle.wait(10)).rejects.toBeInstanceOf(UnknownResultError);
    await expect(handle.cancel()).rejects.toBeInstanceOf(UnknownResultError);
    expect(transport.sent.map((s) => s.name)).toEqual(['resultRetrieve']);
  });

  it('onEvent delivers events until unsubscribed', () => {
    const transport = recordingTransport(() => ({ ok: true, value: null }));
    const bridge = createBridge(transport.invoke, transport.subscribe);
    const seen: BridgeEvent[] = [];
    const unsubscribe = bridge.onEvent((event) => seen.push(event));
    transport.push({ type: 'add-urls', urls: ['https://a.test/'] });
    unsubscribe();
    transport.push({ type: 'add-urls', urls: ['https://b.test/'] });
    expect(seen).toEqual([{ type: 'add-urls', urls: ['https://a.test/'] }]);
  });
});
