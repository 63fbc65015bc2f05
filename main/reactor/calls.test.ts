import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Fixture from './testing/fixture-module.ts';
import { freshLibrary, fixtureModule } from './testing/fresh-library.ts';

let library: Awaited<ReturnType<typeof freshLibrary>>;

beforeAll(async () => {
  library = await freshLibrary();
  library.setup({ module: fixtureModule });
});
afterAll(() => library.shutdown());

describe('calls into a reactor child process', () => {
  it('returns an EventualResult synchronously and delivers values and promises', async () => {
    const echo = library.runInReactor<typeof Fixture.echo>('echo');
    const add = library.runInReactor<typeof Fixture.add>('add');
    const result = echo({ list: [1, 'two', null], when: new Date(5), big: 10n });
    expect(result).toBeInstanceOf(library.EventualResult);
    await expect(result.wait(10_000)).resolves.toEqual({ list: [1, 'two', null], when: new Date(5), big: 10n });
    await expect(add(2, 3).wait(10_000)).resolves.toBe(5);
  });

  it('rebuilds remote errors as RemoteError with name, message, code and stack', async () => {
    const thrown = await library.runInReactor<typeof Fixture.throwSync>('throwSync')('bad input').wait(10_000).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(library.RemoteError);
    expect(thrown).toMatchObject({ message: 'bad input', remoteName: 'TypeError' });
    expect((thrown as Error).stack).toContain('fixture-module.ts');

    const result = library.runInReactor<typeof Fixture.rejectLater>('rejectLater')('server gone');
    const rejected = await result.wait(10_000).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ message: 'server gone', remoteCode: 'ERR_FIXTURE_BROKEN', details: { status: 503 } });
    const failure = result.originalFailure();
    expect(failure).toMatchObject({ name: 'SkeinError', code: 'ERR_FIXTURE_BROKEN', message: 'server gone' });
    expect(result.originalFailure()).toBe(failure);
  });

  it("rebuilds the library's own errors as their classes", async () => {
    const error = await library.runInReactor('throwLibraryError')().wait(10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(library.TimeoutError);
    expect((error as Error).message).toBe('thrown inside the reactor');
  });

  it('cancel settles at once and aborts the signal in the reactor, even before the function started', async () => {
    const sleep = library.runInReactor<typeof Fixture.sleep>('sleep');
    const wasAborted = library.runInReactor<typeof Fixture.wasAborted>('wasAborted');
    const running = sleep(60_000, 'running');
    await expect(running.wait(50)).rejects.toBeInstanceOf(library.TimeoutError);
    running.cancel();
    await expect(running.wait(0)).rejects.toBeInstanceOf(library.CancelledError);
    expect(await wasAborted('running').wait(10_000)).toMatchObject({ started: true, aborted: true, abortedBeforeStart: false });

  });

  it('waitFor cancels the call when the time runs out', async () => {
    const sleepFor = library.waitFor(100)(library.runInReactor<typeof Fixture.sleep>('sleep'));
    await expect(sleepFor(60_000, 'wait-for')).rejects.toBeInstanceOf(library.TimeoutError);
    const seen = await library.runInReactor<typeof Fixture.wasAborted>('wasAborted')('wait-for').wait(10_000);
    expect(seen.aborted).toBe(true);
    await expect(library.waitFor(10_000, library.runInReactor<typeof Fixture.add>('add'))(1, 1)).resolves.toBe(2);
  });

  it('many concurrent waits on one pending result all settle', async () => {
    const result = library.runInReactor<typeof Fixture.sleep>('sleep')(50, 'many');
    const waits = Array.from({ length: 100 }, () => result.wait(10_000));
    expect(new Set(await Promise.all(waits))).toEqual(new Set(['slept 50']));
  });

  it('a stashed result is retrieved once, as the identical object', async () => {
    const result = library.runInReactor<typeof Fixture.add>('add')(20, 22);
    const uid = result.stash();
    const again = library.retrieveResult(uid);
    expect(again).toBe(result);
    await expect(again.wait(10_000)).resolves.toBe(42);
    expect(() => library.retrieveResult(uid)).toThrow(library.UnknownResultError);
  });

  it('gives clear errors for unknown functions and values that cannot be cloned', async () => {
    const unknown = await library.runInReactor('noSuchFunction')().wait(10_000).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(library.UnknownFunctionError);
    expect((unknown as Error).message).toMatch(/"noSuchFunction".*fixture-module\.ts/);

    const badArgs = library.runInReactor('echo')(Symbol('not cloneable'));
    await expect(badArgs.wait(10_000)).rejects.toThrow(/"echo" cannot be structured-cloned/);

    const badReturn = await library.runInReactor('returnFunction')().wait(10_000).catch((e: unknown) => e);
    expect(badReturn).toBeInstanceOf(library.NotCloneableError);
    expect((badReturn as Error).message).toContain('"returnFunction"');
  });

  it('delivers events to subscribers in order, and stops after unsubscribe', async () => {
    const seen: number[] = [];
    const unsubscribe = library.subscribe('tick', (payload) => seen.push((payload as { index: number }).index));
    const emitEvents = library.runInReactor<typeof Fixture.emitEvents>('emitEvents');
    await emitEvents('tick', 5).wait(10_000);
    unsubscribe();
    await emitEvents('tick', 3).wait(10_000);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
