import { UnknownResultError } from './errors.ts';
import { reportIfUnread, type EventualResult } from './eventual-result.ts';

/**
 * Results kept alive under integer uids, each retrievable exactly once.
 * Uids start at 1, only grow, and are never reused.
 */
export class ResultStash {
  #nextUid = 1;
  readonly #results = new Map<number, EventualResult<unknown>>();

  stash(result: EventualResult<unknown>): number {
    const uid = this.#nextUid++;
    this.#results.set(uid, result);
    return uid;
  }

  /** Removes and returns the result stashed under `uid`; throws `UnknownResultError` otherwise. */
  retrieve(uid: number): EventualResult<unknown> {
    const result = Number.isSafeInteger(uid) ? this.#results.get(uid) : undefined;
    if (!result) {
      throw new UnknownResultError(`No stashed result with uid ${String(uid)}: it was never stashed or was already retrieved`);
    }
    this.#results.delete(uid);
    return result;
  }

  has(uid: number): boolean {
    return this.#results.has(uid);
  }

  get size(): number {
    return this.#results.size;
  }

  /** Reports every stashed error that nobody read (each once); called at shutdown. */
  reportUnreadFailures(): void {
    for (const result of this.#results.values()) {
      const record = result.failureRecord();
      if (record) reportIfUnread(record);
    }
  }
}

/** The process-wide stash behind `EventualResult.stash()` and `retrieveResult()`. */
export const defaultStash = new ResultStash();

/** Takes the result stashed under `uid` out of the stash: the identical object, once. */
export function retrieveResult(uid: number): EventualResult<unknown> {
  return defaultStash.retrieve(uid);
}
