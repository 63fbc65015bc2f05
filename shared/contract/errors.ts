import { registerErrorCode, SkeinError, type SkeinErrorOptions } from '../errors/base.ts';

/**
 * Failures of the bridge itself (as opposed to the engine's download errors).
 * Each keeps a stable code so a window rebuilds it as its own class after IPC.
 */

/** The request name is not part of the contract. Nothing was done. */
export class UnknownRequestError extends SkeinError {
  constructor(message = 'No such request', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_UNKNOWN_REQUEST', message, options);
  }
}

/** The request's input failed the contract's schema. Nothing was done. */
export class InvalidRequestError extends SkeinError {
  constructor(message = 'The request is not valid', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_INVALID_REQUEST', message, options);
  }
}

/** The request came from a frame that is not the app's own page. Nothing was done. */
export class ForbiddenSenderError extends SkeinError {
  constructor(message = 'Requests are only accepted from the app window', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_FORBIDDEN_SENDER', message, options);
  }
}

/** openFile/showInFolder for a path the engine did not download (or that is gone). */
export class PathNotAllowedError extends SkeinError {
  constructor(message = 'Only files Skein downloaded can be opened', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_PATH_NOT_ALLOWED', message, options);
  }
}

/** openExternal for anything but an http(s) URL, or without a user action. */
export class ExternalUrlNotAllowedError extends SkeinError {
  constructor(message = 'Only http and https links can be opened', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_EXTERNAL_URL_NOT_ALLOWED', message, options);
  }
}

/** The host cannot do this (a native dialog in the browser host, for example). */
export class UnsupportedByHostError extends SkeinError {
  constructor(message = 'Not available in this host', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_UNSUPPORTED', message, options);
  }
}

/** The desktop refused an action (no application for the file type, the file manager failed). */
export class DesktopActionError extends SkeinError {
  constructor(message = 'The system could not do that', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_DESKTOP_ACTION', message, options);
  }
}

/** The connection to main is gone (window closing, WebSocket dropped). */
export class BridgeDisconnectedError extends SkeinError {
  constructor(message = 'The connection to Skein was lost', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_DISCONNECTED', message, options);
  }
}

/** A handler broke an invariant: a bug, reported to the log as well. */
export class BridgeInternalError extends SkeinError {
  constructor(message = 'Skein hit an internal error', options?: SkeinErrorOptions) {
    super('ERR_BRIDGE_INTERNAL', message, options);
  }
}

const rebuilders: Array<[string, new (message: string, options?: SkeinErrorOptions) => SkeinError]> = [
  ['ERR_BRIDGE_UNKNOWN_REQUEST', UnknownRequestError],
  ['ERR_BRIDGE_INVALID_REQUEST', InvalidRequestError],
  ['ERR_BRIDGE_FORBIDDEN_SENDER', ForbiddenSenderError],
  ['ERR_BRIDGE_PATH_NOT_ALLOWED', PathNotAllowedError],
  ['ERR_BRIDGE_EXTERNAL_URL_NOT_ALLOWED', ExternalUrlNotAllowedError],
  ['ERR_BRIDGE_UNSUPPORTED', UnsupportedByHostError],
  ['ERR_BRIDGE_DESKTOP_ACTION', DesktopActionError],
  ['ERR_BRIDGE_DISCONNECTED', BridgeDisconnectedError],
  ['ERR_BRIDGE_INTERNAL', BridgeInternalError],
];
for (const [code, ErrorClass] of rebuilders) {
  registerErrorCode(code, (serialized, cause) => new ErrorClass(serialized.message, { cause, details: serialized.details }));
}
