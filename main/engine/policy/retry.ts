import { DownloadError } from '../../../shared/download/errors.ts';

/**
 * Retry as data plus pure functions (after got's retry options): which failures
 * are worth another attempt, and how long to wait before it. No I/O, no clock:
 * callers pass `now` and a random source, so tests pin both.
 */
export interface RetryPolicy {
  /** Attempts after the first one, counted since the last attempt that made progress. */
  limit: number;
  /** Delay before the first retry. */
  baseDelayMs: number;
  /** Growth per attempt (2 doubles the wait each time). */
  factor: number;
  /** Upper bound of the computed backoff (not of Retry-After). */
  maxDelayMs: number;
  /** 0..1: the share of each delay that is randomised, so many clients don't retry in step. */
  jitter: number;
  /** A Retry-After longer than this is not waited out: the download fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 5,
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 60_000,
  jitter: 0.5,
  maxRetryAfterMs: 60 * 60_000,
};

/** Whether `error` may be fixed by trying again. Anything that is not a DownloadError is a bug: never retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DownloadError && error.retryable;
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date. Returns the wait in
 * milliseconds from `nowMs` (0 for a date in the past), or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only IMF-fixdate and its obsolete forms contain a letter; plain garbage like "-5" is rejected.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * The wait before retry number `attempt` (1 for the first retry): exponential
 * backoff with jitter, never shorter than the server's Retry-After.
 * `random` returns a number in [0, 1).
 */
export function computeRetryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | null, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** exponent);
  // "Equal jitter": keep (1 - jitter) of the delay, randomise the rest.
  const jittered = backoff * (1 - policy.jitter) + backoff * policy.jitter * random();
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'not-retryable' | 'budget-spent' | 'retry-after-too-long' };

/**
 * Decides what to do after `error` ended attempt number `attempt` (1-based count
 * of consecutive failed attempts).
 */
export function decideRetry(
  policy: RetryPolicy,
  error: unknown,
  attempt: number,
  nowMs: number,
  random: () => number,
): RetryDecision {
  if (!isRetryable(error)) return { retry: false, reason: 'not-retryable' };
  if (attempt > policy.limit) return { retry: false, reason: 'budget-spent' };
  const retryAfterMs = parseRetryAfter(retryAfterOf(error), nowMs);
  if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long' };
  return { retry: true, delayMs: computeRetryDelay(policy, attempt, retryAfterMs, random) };
}

function retryAfterOf(error: unknown): string | null {
  if (!(error instanceof DownloadError)) return null;
  const value = error.details.retryAfter;
  return typeof value === 'string' ? value : null;
}
