import type { RateLimiter } from '../transfer/types.ts';

/**
 * Token bucket speed limits: one global bucket and one per download, both
 * changeable while bytes flow. The arithmetic is a pure function of the bucket
 * state and the time; `TokenBucket` adds the waiting.
 *
 * Takers go into debt: `take(n)` subtracts n at once and waits until the refill
 * has paid the debt back. A queue of takers is thereby served in order, and a big
 * take simply waits longer; readers take `sliceBytes` at a time, so the bytes of
 * a socket read (up to 64 KiB) flow as they are paid for, not all after the last.
 */

/** The bucket at one instant. `credited` counts every token ever added, so a waiter's target survives rate changes. */
export interface BucketState {
  /** Bytes per second; 0 means unlimited. */
  rate: number;
  /** Largest number of tokens the bucket holds: the burst allowed after an idle spell. */
  capacity: number;
  /** Current tokens; negative while takers are in debt. */
  tokens: number;
  credited: number;
  updatedAtMs: number;
}

/** How long bursts may be: a quarter second of traffic, at least 16 KiB. */
export function capacityFor(rate: number): number {
  return Math.max(16 * 1024, Math.round(rate / 4));
}

export function createBucket(rate: number, nowMs: number): BucketState {
  const capacity = capacityFor(rate);
  return { rate, capacity, tokens: capacity, credited: 0, updatedAtMs: nowMs };
}

/** Adds the tokens earned since the last update (capped at capacity). */
export function refill(state: BucketState, nowMs: number): BucketState {
  if (state.rate <= 0) return { ...state, updatedAtMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  const earned = (elapsedMs * state.rate) / 1000;
  const tokens = Math.min(state.capacity, state.tokens + earned);
  return { ...state, tokens, credited: state.credited + earned, updatedAtMs: nowMs };
}

/**
 * Takes `bytes`. Returns the new state and the `credited` value the taker must
 * wait for (null when it may go at once).
 */
export function takeTokens(state: BucketState, bytes: number, nowMs: number): { state: BucketState; waitUntilCredited: number | null } {
  if (state.rate <= 0) return { state, waitUntilCredited: null };
  const current = refill(state, nowMs);
  const tokens = current.tokens - bytes;
  const next = { ...current, tokens };
  return { state: next, waitUntilCredited: tokens >= 0 ? null : current.credited - tokens };
}

/** Milliseconds until the bucket has credited `target`, at its current rate. */
export function msUntilCredited(state: BucketState, target: number): number {
  if (state.rate <= 0) return 0;
  return Math.max(0, Math.ceil(((target - state.credited) * 1000) / state.rate));
}

/** Changes the rate, keeping debt and credit so waiters just repay faster or slower. */
export function changeRate(state: BucketState, rate: number, nowMs: number): BucketState {
  const current = refill(state, nowMs);
  const capacity = capacityFor(rate);
  if (rate <= 0) return { ...current, rate: 0, capacity, tokens: capacity };
  return { ...current, rate, capacity, tokens: Math.min(current.tokens, capacity) };
}

export interface LimiterClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: LimiterClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  target: number;
  resolve(): void;
  timer: unknown;
}

/** A RateLimiter; `rate` 0 means unlimited (takes resolve at once without allocating a promise chain). */
export class TokenBucket implements RateLimiter {
  #state: BucketState;
  readonly #clock: LimiterClock;
  readonly #waiters = new Set<Waiter>();

  constructor(bytesPerSecond: number, clock: LimiterClock = realClock) {
    this.#clock = clock;
    this.#state = createBucket(sanitizeRate(bytesPerSecond), clock.now());
  }

  get rate(): number {
    return this.#state.rate;
  }

  /** True when take() would never wait: callers skip it on their fast path. */
  get unlimited(): boolean {
    return this.#state.rate <= 0;
  }

  take(bytes: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const { state, waitUntilCredited } = takeTokens(this.#state, bytes, this.#clock.now());
    this.#state = state;
    if (waitUntilCredited === null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#clock.clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        target: waitUntilCredited,
        timer: null,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
      this.#schedule(waiter);
    });
  }

  setRate(bytesPerSecond: number): void {
    this.#state = changeRate(this.#state, sanitizeRate(bytesPerSecond), this.#clock.now());
    for (const waiter of [...this.#waiters]) {
      this.#clock.clearTimeout(waiter.timer);
      if (this.#state.rate <= 0) waiter.resolve();
      else this.#schedule(waiter);
    }
  }

  #schedule(waiter: Waiter): void {
    const current = refill(this.#state, this.#clock.now());
    this.#state = current;
    const delay = msUntilCredited(current, waiter.target);
    if (delay <= 0) {
      waiter.resolve();
      return;
    }
    waiter.timer = this.#clock.setTimeout(() => this.#schedule(waiter), delay);
  }
}

function sanitizeRate(bytesPerSecond: number): number {
  return Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? Math.floor(bytesPerSecond) : 0;
}

/** Smallest and largest slice a limited reader takes at once (see sliceBytes). */
export const MIN_SLICE_BYTES = 1024;
export const MAX_SLICE_BYTES = 64 * 1024;
/** The slice for a limiter whose rate is unknown (not a TokenBucket). */
export const DEFAULT_SLICE_BYTES = 16 * 1024;

/**
 * How many bytes a limited reader takes at once at `rate`: a tenth of a second
 * of traffic, so the first bytes come at once and the flow is even, within
 * [1 KiB, 64 KiB] (a socket read is at most 64 KiB: faster limits cost nothing).
 */
export function sliceBytes(rate: number): number {
  if (rate <= 0) return MAX_SLICE_BYTES;
  return Math.min(MAX_SLICE_BYTES, Math.max(MIN_SLICE_BYTES, Math.floor(rate / 10)));
}

/** The slice for a set of limiters: the smallest any of them asks for. */
export function sliceBytesFor(limiters: readonly RateLimiter[]): number {
  let slice = MAX_SLICE_BYTES;
  for (const limiter of limiters) {
    const own = limiter instanceof TokenBucket ? sliceBytes(limiter.rate) : DEFAULT_SLICE_BYTES;
    if (own < slice) slice = own;
  }
  return slice;
}

/** True when no limiter would ever wait: the reader's fast path, checked per chunk without allocating. */
export function isUnlimited(limiters: readonly RateLimiter[]): boolean {
  for (const limiter of limiters) {
    if (!(limiter instanceof TokenBucket) || !limiter.unlimited) return false;
  }
  return true;
}

/** The tightest rate among `limiters` in bytes per second; 0 when none limits. Only a TokenBucket tells its rate. */
export function tightestRate(limiters: readonly RateLimiter[]): number {
  let tightest = 0;
  for (const limiter of limiters) {
    if (limiter instanceof TokenBucket && limiter.rate > 0 && (tightest === 0 || limiter.rate < tightest)) tightest = limiter.rate;
  }
  return tightest;
}

/** Takes from several limiters at once: waits for the slowest, so limits don't add up. */
export function takeFromAll(limiters: readonly RateLimiter[], bytes: number, signal: AbortSignal): Promise<void> | null {
  let pending: Promise<void>[] | null = null;
  for (const limiter of limiters) {
    if (limiter instanceof TokenBucket && limiter.unlimited) continue;
    (pending ??= []).push(limiter.take(bytes, signal));
  }
  if (pending === null) return null;
  return pending.length === 1 ? (pending[0] as Promise<void>) : Promise.all(pending).then(() => undefined);
}
