/**
 * Errors that cross process boundaries. Every failure Skein reports is a
 * `SkeinError` subclass with a stable `code`; after crossing IPC it is rebuilt
 * from that code (never recognised by `instanceof` across processes).
 */

/** The wire form of an error: plain data, structured-cloneable. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** Extra, cloneable facts a handler may need (an HTTP status, a file path). */
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

export interface SkeinErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class SkeinError extends Error {
  /** Stable, machine-readable identifier; user-facing text is looked up by it. */
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: SkeinErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

type ErrorFactory = (serialized: SerializedError, cause: Error | undefined) => Error;
const factories = new Map<string, ErrorFactory>();

/** Teaches `deserializeError` to rebuild errors carrying `code` as their own class. */
export function registerErrorCode(code: string, factory: ErrorFactory): void {
  factories.set(code, factory);
}

const MAX_CAUSE_DEPTH = 8;

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: describeThrownValue(error) };
  }
  const serialized: SerializedError = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') serialized.code = code;
  else if (typeof code === 'number') serialized.code = String(code);
  if (typeof error.stack === 'string') serialized.stack = error.stack;
  if (error instanceof SkeinError && Object.keys(error.details).length > 0) {
    serialized.details = toCloneableRecord(error.details);
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    serialized.cause = serializeError(error.cause, depth + 1);
  }
  return serialized;
}

/**
 * Rebuilds an error from its wire form: registered codes become their own class,
 * anything else a `RemoteError` keeping the remote name, message, code and stack.
 */
export function deserializeError(serialized: SerializedError): Error {
  const cause = serialized.cause ? deserializeError(serialized.cause) : undefined;
  const factory = serialized.code === undefined ? undefined : factories.get(serialized.code);
  const error = factory ? factory(serialized, cause) : new RemoteError(serialized, cause);
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/** An error thrown in another process whose code this process does not know. */
export class RemoteError extends SkeinError {
  readonly remoteName: string;
  readonly remoteCode: string | undefined;
  readonly remoteStack: string | undefined;

  constructor(serialized: SerializedError, cause?: Error) {
    super('ERR_REMOTE', serialized.message, { cause, details: serialized.details });
    this.remoteName = serialized.name;
    this.remoteCode = serialized.code;
    this.remoteStack = serialized.stack;
  }
}

function describeThrownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return `Non-error value thrown: ${JSON.stringify(value)}`;
  } catch {
    return `Non-error value thrown: ${String(value)}`;
  }
}

function toCloneableRecord(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    const kind = typeof value;
    if (value === null || kind === 'string' || kind === 'number' || kind === 'boolean') out[key] = value;
    else if (kind !== 'function' && kind !== 'symbol') {
      try {
        out[key] = JSON.parse(JSON.stringify(value));
      } catch {
        out[key] = String(value);
      }
    }
  }
  return out;
}
