import { TimeoutError } from './errors.ts';
import type { EventualResult } from './eventual-result.ts';

type ResultCaller<Args extends unknown[], T> = (...args: Args) => EventualResult<T>;
type PromiseCaller<Args extends unknown[], T> = (...args: Args) => Promise<T>;

/**
 * Wraps a caller so that it returns a promise of the value, waiting at most
 * `timeoutMs`; when the time runs out the call is cancelled (unlike a bare
 * wait()) and the promise rejects with TimeoutError.
 */
export function waitFor(timeoutMs: number): <Args extends unknown[], T>(caller: ResultCaller<Args, T>) => PromiseCaller<Args, T>;
export function waitFor<Args extends unknown[], T>(timeoutMs: number, caller: ResultCaller<Args, T>): PromiseCaller<Args, T>;
export function waitFor<Args extends unknown[], T>(
  timeoutMs: number,
  caller?: ResultCaller<Args, T>,
): PromiseCaller<Args, T> | (<A extends unknown[], R>(caller: ResultCaller<A, R>) => PromiseCaller<A, R>) {
  const wrap =
    <A extends unknown[], R>(inner: ResultCaller<A, R>): PromiseCaller<A, R> =>
    async (...args: A) => {
      const result = inner(...args);
      try {
        return await result.wait(timeoutMs);
      } catch (error) {
        if (error instanceof TimeoutError) result.cancel();
        throw error;
      }
    };
  return caller ? wrap(caller) : wrap;
}
