import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectGarbage } from '../../main/reactor/testing/gc.ts';
import { CancelledError, TimeoutError, UnknownResultError } from './errors.ts';
import { EventualResult, setUnreadFailureLogger, type UnreadFailureLogger } from './eventual-result.ts';
import { ResultStash, retrieveResult } from './stash.ts';

describe('EventualResult.wait', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves with the value once it arrives, for every waiter', async () => {
    const { result, resolve } = EventualResult.create<number>();
    const waits = [result.wait(1000), result.wait(1000), result.wait(1000)];
    resolve(42);
    await expect(Promise.all(waits)).resolves.toEqual([42, 42, 42]);
    await expect(result.wait(0)).resolves.toBe(42);
  });

  it('times out without cancelling, and a later wait still gets the result', async () => {
    const { result, resolve } = EventualResult.create<string>();
    await expect(result.wait(10)).rejects.toBeInstanceOf(TimeoutError);
    expect(result.isSettled()).toBe(false);
    resolve('late');
    await expect(result.wait(10)).resolves.toBe('late');
  });

  it('rejects every later wait with the same error instance', async () => {
    const { result, reject } = EventualResult.create<string>();
    const error = new Error('boom');
    reject(error);
    const first = await result.wait(0).catch((caught: unknown) => caught);
    const second = await result.wait(1000).catch((caught: unknown) => caught);
    expect(first).toBe(error);
    expect(second).toBe(error);
  });

  it('treats NaN and negative timeouts as zero', async () => {
    const { result } = EventualResult.create<string>();
    await expect(result.wait(Number.NaN)).rejects.toBeInstanceOf(TimeoutError);
    await expect(result.wait(-5)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('does not fire early for timeouts above 2^31-1 ms', async () => {
    vi.useFakeTimers();
    const { result, resolve } = EventualResult.create<string>();
    const outcome = vi.fn();
    result.wait(2 ** 31 + 5000).then(outcome, outcome);
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(outcome).not.toHaveBeenCalled();
    resolve('in time');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toHaveBeenCalledWith('in time');
  });

  it('fires a long timeout once its whole length has passed', async () => {
    vi.useFakeTimers();
    const { result } = EventualResult.create<string>();
    const outcome = vi.fn();
    result.wait(2 ** 31 + 5000).catch(outcome);
    await vi.advanceTimersByTimeAsync(2 ** 31 + 4999);
    expect(outcome).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.mock.calls[0]?.[0]).toBeInstanceOf(TimeoutError);
  });
});

describe('EventualResult.cancel', () => {
  it('settles a pending result with CancelledError at once and calls the canceller once', async () => {
    const onCancel = vi.fn();
    const { result, resolve } = EventualResult.create<number>({ onCancel });
    const waiting = result.wait(1000);
    result.cancel();
    result.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    resolve(1);
    await expect(result.wait(0)).rejects.toBeInstanceOf(CancelledError);
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('does nothing on a settled result', async () => {
    const onCancel = vi.fn();
    const { result, resolve } = EventualResult.create<number>({ onCancel });
    resolve(7);
    result.cancel();
    await expect(result.wait(0)).resolves.toBe(7);
    expect(onCancel).not.toHaveBeenCalled();
  });
});

describe('stash and retrieveResult', () => {
  it('returns the identical object exactly once', () => {
    const { result } = EventualResult.create<number>();
    const uid = result.stash();
    expect(Number.isInteger(uid) && uid > 0).toBe(true);
    expect(retrieveResult(uid)).toBe(result);
    expect(() => retrieveResult(uid)).toThrow(UnknownResultError);
  });

  it('gives strictly increasing uids, two for the same result stashed twice', () => {
    const { result } = EventualResult.create<number>();
    const first = result.stash();
    const second = result.stash();
    const third = EventualResult.resolved(1).stash();
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(retrieveResult(first)).toBe(result);
    expect(retrieveResult(second)).toBe(result);
    retrieveResult(third);
  });

  it('starts at uid 1 and rejects uids it never gave', () => {
    const stash = new ResultStash();
    expect(stash.stash(EventualResult.resolved('x'))).toBe(1);
    expect(() => stash.retrieve(99)).toThrow(/uid 99/);
    expect(() => stash.retrieve(1.5)).toThrow(UnknownResultError);
  });
});

describe('originalFailure', () => {
  it('is null while pending and on success', () => {
    const pending = EventualResult.create<number>();
    expect(pending.result.originalFailure()).toBeNull();
    expect(EventualResult.resolved(3).originalFailure()).toBeNull();
  });

  it('is the same serialized error on every call, with name, message, code and stack', () => {
    const { result, reject } = EventualResult.create<number>();
    reject(new CancelledError('stop it'));
    const failure = result.originalFailure();
    expect(failure).toMatchObject({ name: 'CancelledError', message: 'stop it', code: 'ERR_REACTOR_CANCELLED' });
    expect(failure?.stack).toContain('stop it');
    expect(result.originalFailure()).toBe(failure);
  });

  it('returns the wire form as received for remote errors', () => {
    const { result, reject } = EventualResult.create<number>();
    const wire = { name: 'TypeError', message: 'bad', code: 'ERR_X', stack: 'TypeError: bad\n    at remote' };
    reject(new Error('bad'), { serialized: wire });
    expect(result.originalFailure()).toBe(wire);
  });
});

describe('unread errors', () => {
  let restore: UnreadFailureLogger | null = null;
  afterEach(() => {
    if (restore) setUnreadFailureLogger(restore);
    restore = null;
  });

  function failNobodyReads(message: string): void {
    const { reject } = EventualResult.create<number>({ label: 'test call' });
    reject(new Error(message));
  }

  it('are logged once when the result is garbage-collected', async () => {
    const logged: string[] = [];
    restore = setUnreadFailureLogger((_label, failure) => logged.push(failure.message));
    failNobodyReads('nobody read me');
    await collectGarbage();
    expect(logged).toEqual(['nobody read me']);
  });

  it('are not logged when a wait or originalFailure read them, or when cancelled', async () => {
    const logged: string[] = [];
    restore = setUnreadFailureLogger((_label, failure) => logged.push(failure.message));
    (() => {
      const a = EventualResult.create<number>();
      a.result.wait(1000).catch(() => {});
      a.reject(new Error('read by a waiter'));
      const b = EventualResult.create<number>();
      b.reject(new Error('read by originalFailure'));
      b.result.originalFailure();
      EventualResult.create<number>().result.cancel();
    })();
    await collectGarbage();
    expect(logged).toEqual([]);
  });

  it('that were stashed are logged by the stash report, and only once', async () => {
    const logged: string[] = [];
    restore = setUnreadFailureLogger((_label, failure) => logged.push(failure.message));
    const stash = new ResultStash();
    stash.stash(EventualResult.rejected(new Error('stashed and unread')));
    stash.stash(EventualResult.resolved(1));
    stash.reportUnreadFailures();
    stash.reportUnreadFailures();
    expect(logged).toEqual(['stashed and unread']);
  });
});
