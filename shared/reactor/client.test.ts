import { describe, expect, it, vi } from 'vitest';
import { ReactorClient } from './client.ts';
import type { ReactorContext } from './context.ts';
import { CancelledError, ModuleLoadError, NotCloneableError, ReactorStoppedError, RemoteError, UnknownFunctionError } from './errors.ts';
import { createMemoryTransportPair, type MemoryTransportPair } from './memory-transport.ts';
import type { ReactorMessage } from './protocol.ts';
import { serveReactor } from './server.ts';

/** A batch message's parts, or the message itself. */
function flatten(message: { t: string; messages?: unknown[] }): Array<{ t: string }> {
  return message.t === 'batch' ? (message.messages as Array<{ t: string; messages?: unknown[] }>).flatMap(flatten) : [message];
}

/** A client wired to an in-memory reactor serving `functions`; `pairs` lists every "process" spawned. */
function connect(functions: Record<string, unknown>, options: { restart?: boolean; loadDelayMs?: number } = {}) {
  const pairs: Array<MemoryTransportPair & { sentToHost: ReactorMessage[] }> = [];
  const client = new ReactorClient({
    module: '/virtual/module.js',
    restartPolicy: options.restart ? { initialDelayMs: 5, factor: 2, maxDelayMs: 50, maxConsecutiveDeaths: 3, stableAfterMs: 60_000 } : null,
    stopGracePeriodMs: 200,
    log: () => {},
    spawn: () => {
      const pair = Object.assign(createMemoryTransportPair(), { sentToHost: [] as ReactorMessage[] });
      pairs.push(pair);
      const recording = { ...pair.endpoint, send: (message: ReactorMessage) => (pair.sentToHost.push(message), pair.endpoint.send(message)) };
      serveReactor(recording, {
        load: async () => {
          if (options.loadDelayMs) await new Promise((resolve) => setTimeout(resolve, options.loadDelayMs));
          return functions;
        },
        exit: (code) => pair.exit({ code, reason: `exit code ${code}` }),
      });
      return pair.transport;
    },
  });
  client.start();
  return { client, pairs };
}

describe('ReactorClient over an in-memory transport', () => {
  it('delivers plain values, promises, synchronous throws and rejections through wait()', async () => {
    const { client } = connect({
      plain: (_ctx: ReactorContext, x: number) => x * 2,
      later: async (_ctx: ReactorContext, x: number) => x + 1,
      throws: () => {
        throw new RangeError('sync throw');
      },
      rejects: async () => {
        throw Object.assign(new Error('async reject'), { code: 'ERR_SOMETHING' });
      },
    });
    await expect(client.call('plain', [21]).wait(1000)).resolves.toBe(42);
    await expect(client.call('later', [1]).wait(1000)).resolves.toBe(2);
    const thrown = await client.call('throws', []).wait(1000).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(RemoteError);
    expect(thrown).toMatchObject({ message: 'sync throw', remoteName: 'RangeError' });
    const rejected = await client.call('rejects', []).wait(1000).catch((error: unknown) => error);
    expect(rejected).toMatchObject({ message: 'async reject', remoteCode: 'ERR_SOMETHING' });
  });

  it('passes arguments by structured clone, not by reference', async () => {
    const seen: unknown[] = [];
    const { client } = connect({ keep: (_ctx: ReactorContext, value: unknown) => (seen.push(value), true) });
    const argument = { nested: { list: [1, 2, 3] }, when: new Date(0), bytes: new Uint8Array([1, 2]) };
    await client.call('keep', [argument]).wait(1000);
    expect(seen[0]).toEqual(argument);
    expect(seen[0]).not.toBe(argument);
  });

  it('cancel aborts the signal in the reactor, even before the function has started', async () => {
    const observed: Array<{ aborted: boolean; reason: unknown }> = [];
    const { client } = connect(
      { watch: (ctx: ReactorContext) => (observed.push({ aborted: ctx.signal.aborted, reason: ctx.signal.reason }), new Promise(() => {})) },
      { loadDelayMs: 30 },
    );
    const result = client.call('watch', []);
    result.cancel();
    await expect(result.wait(0)).rejects.toBeInstanceOf(CancelledError);
    await vi.waitFor(() => expect(observed).toHaveLength(1));
    expect(observed[0]?.aborted).toBe(true);
    expect(observed[0]?.reason).toBeInstanceOf(CancelledError);
  });

  it('keeps the first settlement when a value arrives after cancel', async () => {
    let finish: (value: string) => void = () => {};
    const { client } = connect({ slow: () => new Promise<string>((resolve) => (finish = resolve)) });
    const result = client.call('slow', []);
    await new Promise((resolve) => setTimeout(resolve, 10));
    result.cancel();
    finish('too late');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(result.wait(0)).rejects.toBeInstanceOf(CancelledError);
  });

  it('names the function when it does not exist, and lists what does', async () => {
    const { client } = connect({ real: () => 1 });
    const error = await client.call('imaginary', []).wait(1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownFunctionError);
    expect((error as Error).message).toMatch(/"imaginary".*real/);
  });

  it('reports arguments that cannot be cloned through the result, not as a throw', async () => {
    const { client } = connect({ real: () => 1 });
    const result = client.call('real', [() => 'no']);
    const error = await result.wait(1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotCloneableError);
    expect((error as Error).message).toContain('"real"');
  });

  it('reports return values that cannot be cloned, naming the function', async () => {
    const { client } = connect({ giveFunction: () => () => 1 });
    const error = await client.call('giveFunction', []).wait(1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotCloneableError);
    expect((error as Error).message).toContain('"giveFunction"');
  });

  it('fails every call with a clear error when the module does not load', async () => {
    const pair = createMemoryTransportPair();
    const client = new ReactorClient({
      module: '/virtual/broken.js',
      restartPolicy: null,
      log: () => {},
      spawn: () => {
        serveReactor(pair.endpoint, { load: () => Promise.reject(new SyntaxError('Unexpected token')), exit: () => {} });
        return pair.transport;
      },
    });
    client.start();
    const early = client.call('anything', []);
    const error = await early.wait(1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toContain('/virtual/broken.js');
    expect(client.state).toBe('failed');
    await expect(client.call('anything', []).wait(1000)).rejects.toBeInstanceOf(ModuleLoadError);
  });

  it('delivers events to topic subscribers until they unsubscribe', async () => {
    const { client } = connect({ tell: (ctx: ReactorContext, n: number) => (ctx.emit('progress', { n }), ctx.emit('other', n)) });
    const progress: unknown[] = [];
    const everything: string[] = [];
    const stop = client.subscribe('progress', (payload) => progress.push(payload));
    client.subscribe('*', (_payload, topic) => everything.push(topic));
    await client.call('tell', [1]).wait(1000);
    stop();
    await client.call('tell', [2]).wait(1000);
    expect(progress).toEqual([{ n: 1 }]);
    expect(everything).toEqual(['progress', 'other', 'progress', 'other']);
  });

  it('sends only the events of topics someone listens to, also after a restart', async () => {
    const { client, pairs } = connect({ tell: (ctx: ReactorContext, topic: string) => ctx.emit(topic, { topic }), ok: () => 'ok' }, { restart: true });
    const crossing = (): string[] => pairs.flatMap((pair) => pair.sentToHost).flatMap(flatten).filter((message) => message.t === 'event').map((message) => (message as unknown as { topic: string }).topic);
    const heard: unknown[] = [];
    const stop = client.subscribe('wanted', (payload) => heard.push(payload));
    await client.call('tell', ['unwanted']).wait(1000);
    await client.call('tell', ['wanted']).wait(1000);
    expect(crossing()).toEqual(['wanted']);

    pairs[0]?.exit({ code: 3, reason: 'exit code 3' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(client.call('ok', []).wait(2000)).resolves.toBe('ok');
    await client.call('tell', ['wanted']).wait(1000);
    stop();
    await client.call('tell', ['wanted']).wait(1000);
    expect(heard).toEqual([{ topic: 'wanted' }, { topic: 'wanted' }]);
    expect(crossing()).toEqual(['wanted', 'wanted']);
  });

  it('does not copy an event payload nobody listens to, and still refuses an uncloneable one that is heard', async () => {
    const { client } = connect({ tell: (ctx: ReactorContext, topic: string) => ctx.emit(topic, { callback: () => {} }) });
    await expect(client.call('tell', ['unheard']).wait(1000)).resolves.toBeUndefined();
    client.subscribe('heard', () => {});
    await expect(client.call('tell', ['heard']).wait(1000)).rejects.toBeInstanceOf(NotCloneableError);
  });

  it('fails pending results with ReactorStoppedError when the reactor dies, then restarts', async () => {
    const { client, pairs } = connect({ hang: () => new Promise(() => {}), ok: () => 'ok' }, { restart: true });
    const pending = client.call('hang', []);
    await new Promise((resolve) => setTimeout(resolve, 5));
    pairs[0]?.exit({ code: 3, reason: 'exit code 3' });
    const error = await pending.wait(1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReactorStoppedError);
    expect((error as Error).message).toContain('exit code 3');
    await expect(client.call('ok', []).wait(2000)).resolves.toBe('ok');
    expect(pairs).toHaveLength(2);
  });

  it('gives up with a clear error when the reactor keeps dying', async () => {
    const states: string[] = [];
    const { client, pairs } = connect({ ok: () => 'ok' }, { restart: true });
    client.onStateChange((state) => states.push(state));
    for (let death = 0; death < 4; death++) {
      await vi.waitFor(() => expect(pairs.length).toBe(death + 1));
      pairs[death]?.exit({ code: 1, reason: 'exit code 1' });
    }
    await vi.waitFor(() => expect(client.state).toBe('failed'));
    expect(client.stateMessage).toMatch(/keeps dying/);
    expect(() => client.call('ok', [])).toThrow(ReactorStoppedError);
    expect(states).toContain('restarting');
  });

  it('shutdown fails pending results, stops the reactor, and refuses later calls', async () => {
    const { client, pairs } = connect({ hang: () => new Promise(() => {}), ok: () => 1 });
    const settled = client.call('ok', []);
    await settled.wait(1000);
    const pending = client.call('hang', []);
    await client.shutdown();
    await expect(pending.wait(0)).rejects.toBeInstanceOf(ReactorStoppedError);
    await expect(settled.wait(0)).resolves.toBe(1);
    expect(() => client.call('ok', [])).toThrow(ReactorStoppedError);
    expect(client.state).toBe('stopped');
    expect(pairs).toHaveLength(1);
  });
});
