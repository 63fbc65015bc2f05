import { describe, expect, it } from 'vitest';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import { computeRetryDelay, decideRetry, DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, type RetryPolicy } from './retry.ts';

const policy: RetryPolicy = { limit: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 30_000, jitter: 0.5, maxRetryAfterMs: 600_000 };
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const status = (code: number, retryAfter?: string) =>
  new DownloadError(C.httpStatus, undefined, { details: retryAfter === undefined ? { status: code } : { status: code, retryAfter } });

describe('retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP date, and ignores garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially up to the cap, with jitter inside its share', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(computeRetryDelay(policy, 1, null, low)).toBe(500);
    expect(computeRetryDelay(policy, 1, null, high)).toBe(1000);
    expect(computeRetryDelay(policy, 3, null, high)).toBe(4000);
    expect(computeRetryDelay(policy, 3, null, low)).toBe(2000);
    expect(computeRetryDelay(policy, 20, null, high)).toBe(30_000);
    const delays = Array.from({ length: 50 }, () => computeRetryDelay(policy, 2, null, Math.random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('never retries sooner than Retry-After', () => {
    expect(computeRetryDelay(policy, 1, 45_000, () => 0.5)).toBe(45_000);
    expect(decideRetry(policy, status(503, '7'), 1, now, () => 0)).toEqual({ retry: true, delayMs: 7000 });
    expect(decideRetry(policy, status(429, 'Thu, 01 Jan 2026 12:01:00 GMT'), 1, now, () => 0)).toEqual({ retry: true, delayMs: 60_000 });
  });

  it('retries network errors, stalls, 408, 429 and 5xx; not 4xx, TLS, disk or checksum errors', () => {
    for (const code of [408, 429, 500, 502, 503, 504]) expect(isRetryable(status(code))).toBe(true);
    for (const code of [400, 401, 403, 404, 410]) expect(isRetryable(status(code))).toBe(false);
    for (const code of [C.connectionReset, C.stalled, C.network, C.bodyTooShort, C.connectionRefused]) expect(isRetryable(new DownloadError(code))).toBe(true);
    for (const code of [C.tls, C.diskFull, C.notWritable, C.checksumMismatch, C.hostNotFound, C.redirectLoop, C.rangeNotSatisfiable]) {
      expect(isRetryable(new DownloadError(code))).toBe(false);
    }
    expect(isRetryable(new Error('a bug'))).toBe(false);
  });

  it('stops when the budget is spent or the server asks for a wait too long', () => {
    expect(decideRetry(policy, status(503), 5, now, () => 0)).toMatchObject({ retry: true });
    expect(decideRetry(policy, status(503), 6, now, () => 0)).toEqual({ retry: false, reason: 'budget-spent' });
    expect(decideRetry(policy, status(404), 1, now, () => 0)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry(policy, status(503, '86400'), 1, now, () => 0)).toEqual({ retry: false, reason: 'retry-after-too-long' });
    expect(DEFAULT_RETRY_POLICY.limit).toBeGreaterThan(0);
  });
});
