/** What every reactor function receives as its first argument. */
export interface ReactorContext {
  /**
   * Aborted when the caller cancels the result (reason: `CancelledError`) or the
   * reactor stops (reason: `ReactorStoppedError`). Long work must honour it.
   */
  readonly signal: AbortSignal;
  /** Sends an event to the host's subscribers of `topic`. The payload is structured-cloned. */
  emit(topic: string, payload: unknown): void;
}

/** A function exported by a reactor module. */
export type ReactorFunction = (context: ReactorContext, ...args: any[]) => unknown;

/**
 * A reactor module may export this to finish its work (persist state, pause
 * downloads) before the reactor process exits on shutdown. It is not callable
 * through runInReactor.
 */
export const STOP_HOOK_EXPORT = 'reactorWillStop';

type DropContext<F> = F extends (context: ReactorContext, ...args: infer A) => unknown ? A : never;

/** The caller returned by `runInReactor` for reactor function type `F`. */
export type ReactorCaller<F extends ReactorFunction> = (
  ...args: DropContext<F>
) => import('./eventual-result.ts').EventualResult<Awaited<ReturnType<F>>>;
