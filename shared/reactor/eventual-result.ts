import { serializeError, type SerializedError } from '../errors/base.ts';
import { CancelledError, TimeoutError } from './errors.ts';
import { defaultStash } from './stash.ts';
import { normaliseTimeout, setLongTimeout } from './timers.ts';

type Outcome<T> =
  | { kind: 'pending' }
  | { kind: 'fulfilled'; value: T }
  | { kind: 'rejected'; failure: FailureRecord };

/**
 * What is kept of a failure. It is also the held value of the finalization
 * registry, so it must never point back at its EventualResult.
 */
export interface FailureRecord {
  readonly error: Error;
  serialized: SerializedError | null;
  /** Somebody saw the error: a wait() that received it, or originalFailure(). */
  read: boolean;
  /** Already reported as unread (at GC or shutdown); never reported twice. */
  reported: boolean;
  readonly label: string;
}

export type UnreadFailureLogger = (label: string, failure: SerializedError) => void;

let unreadFailureLogger: UnreadFailureLogger = (label, failure) => {
  console.error(`Unhandled error in result of ${label}: ${failure.stack ?? `${failure.name}: ${failure.message}`}`);
};

/** Replaces where unread errors are reported (default: console.error). Returns the previous logger. */
export function setUnreadFailureLogger(logger: UnreadFailureLogger): UnreadFailureLogger {
  const previous = unreadFailureLogger;
  unreadFailureLogger = logger;
  return previous;
}

/** Reports a failure nobody read, once. */
export function reportIfUnread(record: FailureRecord): void {
  if (record.read || record.reported) return;
  record.reported = true;
  unreadFailureLogger(record.label, serializedOf(record));
}

function serializedOf(record: FailureRecord): SerializedError {
  record.serialized ??= serializeError(record.error);
  return record.serialized;
}

const unreadAtCollection = new FinalizationRegistry<FailureRecord>(reportIfUnread);

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  cancelTimer(): void;
}

export interface Settlers<T> {
  result: EventualResult<T>;
  resolve(value: T): void;
  /**
   * Settles with an error. `serialized` is the wire form when the error came from
   * another process (originalFailure() returns exactly it). `expected` failures
   * (the caller's own cancel, an orderly shutdown) are never reported as unread.
   */
  reject(error: Error, options?: { serialized?: SerializedError; expected?: boolean }): void;
  isSettled(): boolean;
}

export interface EventualResultOptions {
  /** Names the call in timeouts and logs, e.g. `reactor function "download"`. */
  label?: string;
  /** Called once when cancel() settles a pending result (to abort the remote work). */
  onCancel?: () => void;
}

/**
 * The result of a call into the reactor, available at once and settled later:
 * wait on it with a timeout, cancel it, or stash it under a uid and retrieve it
 * exactly once elsewhere. The first settlement wins; later ones are ignored.
 */
export class EventualResult<T> {
  #outcome: Outcome<T> = { kind: 'pending' };
  #waiters = new Set<Waiter<T>>();
  #onCancel: (() => void) | undefined;
  readonly #label: string;

  private constructor(options: EventualResultOptions) {
    this.#label = options.label ?? 'an eventual result';
    this.#onCancel = options.onCancel;
  }

  /** Creates a pending result and the functions that settle it. */
  static create<T>(options: EventualResultOptions = {}): Settlers<T> {
    const result = new EventualResult<T>(options);
    return {
      result,
      resolve: (value) => result.#settle({ kind: 'fulfilled', value }),
      reject: (error, settleOptions = {}) => result.#reject(error, settleOptions),
      isSettled: () => result.#outcome.kind !== 'pending',
    };
  }

  /** A result that is already settled with `value`. */
  static resolved<T>(value: T, options: EventualResultOptions = {}): EventualResult<T> {
    const settlers = EventualResult.create<T>(options);
    settlers.resolve(value);
    return settlers.result;
  }

  /** A result that is already settled with `error`. */
  static rejected<T = never>(error: Error, options: EventualResultOptions = {}): EventualResult<T> {
    const settlers = EventualResult.create<T>(options);
    settlers.reject(error);
    return settlers.result;
  }

  /**
   * The value, or the error, once settled. Rejects with `TimeoutError` if it is not
   * settled within `timeoutMs` (NaN or negative means 0, Infinity means no limit);
   * a timeout cancels nothing, and later waits still get the result.
   */
  wait(timeoutMs: number): Promise<T> {
    const outcome = this.#outcome;
    if (outcome.kind === 'fulfilled') return Promise.resolve(outcome.value);
    if (outcome.kind === 'rejected') {
      outcome.failure.read = true;
      return Promise.reject(outcome.failure.error);
    }
    const delay = normaliseTimeout(timeoutMs);
    if (delay === 0) return Promise.reject(this.#timeoutError(0));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, cancelTimer: () => {} };
      if (delay !== Infinity) {
        waiter.cancelTimer = setLongTimeout(() => {
          this.#waiters.delete(waiter);
          reject(this.#timeoutError(delay));
        }, delay);
      }
      this.#waiters.add(waiter);
    });
  }

  /** Settles a pending result with `CancelledError` and aborts the work; no effect once settled. */
  cancel(): void {
    if (this.#outcome.kind !== 'pending') return;
    const onCancel = this.#onCancel;
    this.#reject(new CancelledError(`Cancelled ${this.#label}`), { expected: true });
    onCancel?.();
  }

  /** Keeps this result under a new uid (positive, never reused) for `retrieveResult(uid)`. */
  stash(): number {
    return defaultStash.stash(this);
  }

  /** The error as it crossed the process boundary, or null while pending or on success. */
  originalFailure(): SerializedError | null {
    if (this.#outcome.kind !== 'rejected') return null;
    const record = this.#outcome.failure;
    record.read = true;
    return serializedOf(record);
  }

  /** True once a value or an error has arrived (or the result was cancelled). */
  isSettled(): boolean {
    return this.#outcome.kind !== 'pending';
  }

  /** @internal The failure record of a rejected, for the stash's unread-error report. */
  failureRecord(): FailureRecord | null {
    return this.#outcome.kind === 'rejected' ? this.#outcome.failure : null;
  }

  toString(): string {
    return `EventualResult(${this.#label}: ${this.#outcome.kind})`;
  }

  #reject(error: Error, options: { serialized?: SerializedError; expected?: boolean }): void {
    if (this.#outcome.kind !== 'pending') return;
    const record: FailureRecord = {
      error,
      serialized: options.serialized ?? null,
      read: this.#waiters.size > 0,
      reported: options.expected === true,
      label: this.#label,
    };
    if (!record.read && !record.reported) unreadAtCollection.register(this, record);
    this.#settle({ kind: 'rejected', failure: record });
  }

  #settle(outcome: Outcome<T>): void {
    if (this.#outcome.kind !== 'pending') return;
    this.#outcome = outcome;
    this.#onCancel = undefined;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) {
      waiter.cancelTimer();
      if (outcome.kind === 'fulfilled') waiter.resolve(outcome.value);
      else if (outcome.kind === 'rejected') waiter.reject(outcome.failure.error);
    }
  }

  #timeoutError(delay: number): TimeoutError {
    return new TimeoutError(`Timed out after ${delay} ms waiting for ${this.#label}`);
  }
}
