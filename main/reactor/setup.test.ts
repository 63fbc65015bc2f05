import { afterEach, describe, expect, it } from 'vitest';
import type * as Fixture from './testing/fixture-module.ts';
import { freshLibrary, fixtureModule, reactorChildren } from './testing/fresh-library.ts';

type Library = Awaited<ReturnType<typeof freshLibrary>>;
let library: Library | null = null;

afterEach(async () => {
  await library?.shutdown();
  library = null;
});

describe('setup() and noSetup()', () => {
  it('importing the library starts nothing, and a call before setup names what to call', async () => {
    library = await freshLibrary();
    expect(library.reactorState()).toBe('not-set-up');
    expect(reactorChildren()).toEqual([]);
    const echo = library.runInReactor('echo');
    expect(() => echo(1)).toThrow(library.NotSetUpError);
    expect(() => echo(1)).toThrow(/setup\(\{ module \}\)/);
  });

  it('starts exactly one reactor process, also when setup() is called twice at once', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule });
    library.setup({ module: fixtureModule });
    const pid = library.runInReactor<() => number>('pid');
    const pids = await Promise.all([pid().wait(10_000), pid().wait(10_000), pid().wait(10_000)]);
    expect(new Set(pids).size).toBe(1);
    expect(pids[0]).not.toBe(process.pid);
    expect(reactorChildren()).toEqual([pids[0]]);
  });

  it('noSetup() after setup() throws; noSetup() first makes setup() a no-op and runs in this process', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule });
    expect(() => library?.noSetup({ module: fixtureModule })).toThrow(/after setup\(\)/);
    await library.shutdown();

    library = await freshLibrary();
    library.noSetup({ module: fixtureModule });
    library.setup({ module: fixtureModule });
    const pid = await library.runInReactor<() => number>('pid')().wait(10_000);
    expect(pid).toBe(process.pid);
    expect(reactorChildren()).toEqual([]);
  });

  it('a cancel sent while the reactor is still loading its module aborts the call before it starts', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule });
    const result = library.runInReactor<typeof Fixture.sleep>('sleep')(60_000, 'cancelled-first');
    result.cancel();
    await expect(result.wait(0)).rejects.toBeInstanceOf(library.CancelledError);
    const seen = await library.runInReactor<typeof Fixture.wasAborted>('wasAborted')('cancelled-first').wait(10_000);
    expect(seen).toEqual({ started: true, aborted: true, abortedBeforeStart: true });
  });

  it('rejects a module path that is not absolute with a clear error', async () => {
    library = await freshLibrary();
    expect(() => library?.setup({ module: 'relative/engine.js' })).toThrow(/absolute path/);
  });
});
