import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Fixture from './testing/fixture-module.ts';
import { brokenModule, fixtureModule, freshLibrary, isAlive, reactorChildren } from './testing/fresh-library.ts';

let library: Awaited<ReturnType<typeof freshLibrary>> | null = null;
afterEach(async () => {
  await library?.shutdown();
  library = null;
});

const quickRestarts = { initialDelayMs: 50, factor: 2, maxDelayMs: 400, maxConsecutiveDeaths: 3, stableAfterMs: 60_000 };

describe('the reactor process dying', () => {
  it('fails pending results with the exit reason, restarts, and later calls work', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule, restartPolicy: quickRestarts });
    const states: string[] = [];
    library.onReactorStateChange((state) => states.push(state));
    const pid = library.runInReactor<typeof Fixture.pid>('pid');
    const firstPid = await pid().wait(10_000);
    const pending = library.runInReactor<typeof Fixture.sleep>('sleep')(60_000, 'before-crash');
    process.kill(firstPid, 'SIGKILL');
    const error = await pending.wait(10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(library.ReactorStoppedError);
    expect((error as Error).message).toContain('SIGKILL');

    const secondPid = await pid().wait(10_000);
    expect(secondPid).not.toBe(firstPid);
    expect(states).toEqual(expect.arrayContaining(['restarting', 'running']));
    await expect(library.runInReactor<typeof Fixture.add>('add')(1, 2).wait(10_000)).resolves.toBe(3);
  });

  it('carries the exit code when the reactor exits by itself', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule, restartPolicy: quickRestarts });
    const error = await library.runInReactor<typeof Fixture.crash>('crash')(7).wait(10_000).catch((e: unknown) => e);
    expect((error as Error).message).toContain('exit code 7');
    expect((error as InstanceType<typeof library.ReactorStoppedError>).details).toMatchObject({ exitCode: 7 });
  });

  it('gives up with a clear error when it keeps dying', async () => {
    library = await freshLibrary();
    library.setup({ module: fixtureModule, restartPolicy: { ...quickRestarts, maxConsecutiveDeaths: 2 } });
    const crash = library.runInReactor<typeof Fixture.crash>('crash');
    for (let death = 0; death < 3; death++) {
      await crash(1).wait(10_000).catch(() => {});
      await vi.waitFor(() => expect(library?.reactorState()).not.toBe('restarting'), { timeout: 5000 });
      if (library.reactorState() === 'failed') break;
    }
    expect(library.reactorState()).toBe('failed');
    expect(() => crash(1)).toThrow(/keeps dying/);
  });

  it('a module that fails to load gives an error naming it, and the host lives on', async () => {
    library = await freshLibrary();
    library.setup({ module: brokenModule });
    const error = await library.runInReactor('anything')().wait(10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(library.ModuleLoadError);
    expect((error as Error).message).toContain('broken-module.ts');
    expect((error as Error).message).toContain('broken on purpose');
  });
});

describe('shutdown()', () => {
  it('reports unread stashed errors, fails pending results, stops the process, refuses later calls', async () => {
    library = await freshLibrary();
    const logged: string[] = [];
    const restore = library.setUnreadFailureLogger((_label, failure) => logged.push(failure.message));
    try {
      library.setup({ module: fixtureModule });
      const pid = await library.runInReactor<typeof Fixture.pid>('pid')().wait(10_000);
      const settled = library.runInReactor<typeof Fixture.add>('add')(1, 1);
      await settled.wait(10_000);
      const failed = library.runInReactor<typeof Fixture.throwSync>('throwSync')('unread and stashed');
      await vi.waitFor(() => expect(failed.isSettled()).toBe(true));
      failed.stash();
      const pending = library.runInReactor<typeof Fixture.sleep>('sleep')(60_000);

      await library.shutdown();
      expect(logged).toEqual(['unread and stashed']);
      await expect(pending.wait(0)).rejects.toBeInstanceOf(library.ReactorStoppedError);
      await expect(settled.wait(0)).resolves.toBe(2);
      expect(isAlive(pid)).toBe(false);
      expect(reactorChildren()).toEqual([]);
      expect(() => library?.runInReactor('add')(1, 1)).toThrow(library.ReactorStoppedError);
    } finally {
      library.setUnreadFailureLogger(restore);
    }
  });

  it('kills a reactor that does not stop within the grace period', async () => {
    library = await freshLibrary();
    library.setup({
      module: fixtureModule,
      stopGracePeriodMs: 300,
      env: { ...process.env, SKEIN_FIXTURE_STOP_DELAY_MS: '60000' },
    });
    const pid = await library.runInReactor<typeof Fixture.pid>('pid')().wait(10_000);
    const started = Date.now();
    await library.shutdown();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
  });

  it('is safe to call twice and before setup', async () => {
    library = await freshLibrary();
    await library.shutdown();
    library.setup({ module: fixtureModule });
    await Promise.all([library.shutdown(), library.shutdown()]);
    expect(library.reactorState()).toBe('stopped');
  });
});
