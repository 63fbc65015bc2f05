import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../transfer/types.ts';
import {
  capacityFor,
  changeRate,
  createBucket,
  DEFAULT_SLICE_BYTES,
  isUnlimited,
  MAX_SLICE_BYTES,
  MIN_SLICE_BYTES,
  msUntilCredited,
  sliceBytes,
  sliceBytesFor,
  takeFromAll,
  takeTokens,
  tightestRate,
  TokenBucket,
  type LimiterClock,
} from './rate-limiter.ts';

/** A clock tests move by hand. */
function fakeClock(): LimiterClock & { advance(ms: number): void } {
  let now = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let nextId = 1;
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('token bucket arithmetic', () => {
  it('lets a burst through, then makes takers repay their debt at the rate', () => {
    const rate = 100_000;
    let state = createBucket(rate, 0);
    expect(state.capacity).toBe(capacityFor(rate));
    const first = takeTokens(state, state.capacity, 0);
    expect(first.waitUntilCredited).toBeNull();
    state = first.state;
    const second = takeTokens(state, 50_000, 0);
    expect(second.waitUntilCredited).not.toBeNull();
    expect(msUntilCredited(second.state, second.waitUntilCredited!)).toBe(500);
    // Doubling the rate halves the remaining wait.
    const faster = changeRate(second.state, 200_000, 100);
    expect(msUntilCredited(faster, second.waitUntilCredited!)).toBe(200);
  });
});

describe('TokenBucket', () => {
  it('holds takers back to the rate, in order', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(64 * 1024, clock);
    const signal = new AbortController().signal;
    const done: number[] = [];
    await bucket.take(16 * 1024, signal); // within the burst
    void bucket.take(64 * 1024, signal).then(() => done.push(1));
    void bucket.take(64 * 1024, signal).then(() => done.push(2));
    clock.advance(900);
    await flush();
    expect(done).toEqual([]);
    clock.advance(200);
    await flush();
    expect(done).toEqual([1]);
    clock.advance(1000);
    await flush();
    expect(done).toEqual([1, 2]);
  });

  it('applies a new rate to takers already waiting, and releases them all when unlimited', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10_000, clock);
    const signal = new AbortController().signal;
    await bucket.take(capacityFor(10_000), signal);
    let released = false;
    void bucket.take(100_000, signal).then(() => (released = true));
    clock.advance(1000);
    await flush();
    expect(released).toBe(false);
    bucket.setRate(0);
    await flush();
    expect(released).toBe(true);
    expect(bucket.unlimited).toBe(true);
  });

  it('rejects a waiting take when its signal aborts', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1000, clock);
    const controller = new AbortController();
    await bucket.take(capacityFor(1000), controller.signal);
    const waiting = bucket.take(10_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('costs nothing when unlimited, and waits for the slowest of several limiters', async () => {
    const signal = new AbortController().signal;
    expect(takeFromAll([new TokenBucket(0), new TokenBucket(0)], 1 << 20, signal)).toBeNull();
    const clock = fakeClock();
    const slow = new TokenBucket(1000, clock);
    const fast = new TokenBucket(1_000_000, clock);
    await slow.take(capacityFor(1000), signal);
    let done = false;
    void takeFromAll([fast, slow], 1000, signal)!.then(() => (done = true));
    clock.advance(500);
    await flush();
    expect(done).toBe(false);
    clock.advance(600);
    await flush();
    expect(done).toBe(true);
  });

  it('takes a tenth of a second of traffic at a time, within 1 KiB and 64 KiB', () => {
    expect(sliceBytes(100 * 1024)).toBe(10 * 1024);
    expect(sliceBytes(1000)).toBe(MIN_SLICE_BYTES);
    expect(sliceBytes(100 * 1024 * 1024)).toBe(MAX_SLICE_BYTES);
    expect(sliceBytes(0)).toBe(MAX_SLICE_BYTES);
    // A slice always fits the bucket's burst: the first one of a limited download never waits.
    for (const rate of [1, 1000, 50_000, 1 << 20, 1 << 30]) expect(sliceBytes(rate)).toBeLessThanOrEqual(capacityFor(rate));
  });

  it('slices for the strictest limiter, and tells unlimited sets apart without taking', () => {
    const custom: RateLimiter = { take: () => Promise.resolve(), setRate: () => undefined };
    expect(sliceBytesFor([new TokenBucket(0), new TokenBucket(0)])).toBe(MAX_SLICE_BYTES);
    expect(sliceBytesFor([new TokenBucket(200 * 1024), new TokenBucket(50 * 1024)])).toBe(5 * 1024);
    expect(sliceBytesFor([new TokenBucket(0), custom])).toBe(DEFAULT_SLICE_BYTES);
    expect(isUnlimited([new TokenBucket(0), new TokenBucket(0)])).toBe(true);
    expect(isUnlimited([new TokenBucket(0), new TokenBucket(1000)])).toBe(false);
    expect(isUnlimited([new TokenBucket(0), custom])).toBe(false);
    const lifted = new TokenBucket(1000);
    lifted.setRate(0);
    expect(isUnlimited([lifted])).toBe(true);
  });

  it('tells the tightest speed limit of a set, 0 when nothing limits (a limiter of unknown rate included)', () => {
    const custom: RateLimiter = { take: () => Promise.resolve(), setRate: () => undefined };
    expect(tightestRate([new TokenBucket(0), new TokenBucket(0)])).toBe(0);
    expect(tightestRate([new TokenBucket(0), new TokenBucket(300_000)])).toBe(300_000);
    expect(tightestRate([new TokenBucket(200_000), new TokenBucket(300_000), custom])).toBe(200_000);
    expect(tightestRate([custom])).toBe(0);
  });

  it('measures close to its rate on a real clock', async () => {
    const rate = 400 * 1024;
    const bucket = new TokenBucket(rate);
    const signal = new AbortController().signal;
    const startedAt = performance.now();
    let taken = 0;
    while (taken < rate) {
      await bucket.take(16 * 1024, signal);
      taken += 16 * 1024;
    }
    const seconds = (performance.now() - startedAt) / 1000;
    // One second of traffic less the initial burst (a quarter second).
    expect(seconds).toBeGreaterThan(0.65);
    expect(seconds).toBeLessThan(1.2);
  });
});
