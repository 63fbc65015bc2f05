import { registerErrorCode, SkeinError, type SkeinErrorOptions } from '../errors/base.ts';

export { RemoteError } from '../errors/base.ts';

/** `wait()` ran out of time; the call itself goes on (use `waitFor` to cancel). */
export class TimeoutError extends SkeinError {
  constructor(message = 'Timed out waiting for the result', options?: SkeinErrorOptions) {
    super('ERR_REACTOR_TIMEOUT', message, options);
  }
}

/** The result was cancelled before it settled. */
export class CancelledError extends SkeinError {
  constructor(message = 'The call was cancelled', options?: SkeinErrorOptions) {
    super('ERR_REACTOR_CANCELLED', message, options);
  }
}

/** The reactor stopped (shutdown, or its process died) before the result settled. */
export class ReactorStoppedError extends SkeinError {
  constructor(message = 'The reactor has stopped', options?: SkeinErrorOptions) {
    super('ERR_REACTOR_STOPPED', message, options);
  }
}

/** `retrieveResult(uid)` for a uid never stashed, or already retrieved. */
export class UnknownResultError extends SkeinError {
  constructor(message = 'No stashed result with that uid', options?: SkeinErrorOptions) {
    super('ERR_UNKNOWN_RESULT', message, options);
  }
}

/** A reactor function was called before `setup()` or `noSetup()`. */
export class NotSetUpError extends SkeinError {
  constructor(message = 'The reactor is not set up: call setup({ module }) or noSetup({ module }) first', options?: SkeinErrorOptions) {
    super('ERR_REACTOR_NOT_SET_UP', message, options);
  }
}

/** No reactor function of that name is exported by the reactor module. */
export class UnknownFunctionError extends SkeinError {
  constructor(message: string, options?: SkeinErrorOptions) {
    super('ERR_REACTOR_UNKNOWN_FUNCTION', message, options);
  }
}

/** Arguments, a return value or an event payload could not be structured-cloned. */
export class NotCloneableError extends SkeinError {
  constructor(message: string, options?: SkeinErrorOptions) {
    super('ERR_REACTOR_NOT_CLONEABLE', message, options);
  }
}

/** The reactor module could not be imported in the reactor process. */
export class ModuleLoadError extends SkeinError {
  constructor(message: string, options?: SkeinErrorOptions) {
    super('ERR_REACTOR_MODULE_LOAD', message, options);
  }
}

const rebuilders: Array<[string, new (message: string, options?: SkeinErrorOptions) => SkeinError]> = [
  ['ERR_REACTOR_TIMEOUT', TimeoutError],
  ['ERR_REACTOR_CANCELLED', CancelledError],
  ['ERR_REACTOR_STOPPED', ReactorStoppedError],
  ['ERR_UNKNOWN_RESULT', UnknownResultError],
  ['ERR_REACTOR_NOT_SET_UP', NotSetUpError],
  ['ERR_REACTOR_UNKNOWN_FUNCTION', UnknownFunctionError],
  ['ERR_REACTOR_NOT_CLONEABLE', NotCloneableError],
  ['ERR_REACTOR_MODULE_LOAD', ModuleLoadError],
];
for (const [code, ErrorClass] of rebuilders) {
  registerErrorCode(code, (serialized, cause) => new ErrorClass(serialized.message, { cause, details: serialized.details }));
}
