import { registerErrorCode, SkeinError, type SkeinErrorOptions } from '../errors/base.ts';
import { describeDownloadError } from './messages.ts';
import type { DownloadErrorInfo } from './types.ts';

/**
 * Every way a download can fail, as a stable code. Programs branch on the code;
 * people read the sentence `messages.ts` maps it to. Codes are never renamed.
 */
export const DOWNLOAD_ERROR_CODES = {
  /** The text is not an absolute URL. */
  invalidUrl: 'ERR_URL_INVALID',
  /** A scheme other than http: or https: (also for a redirect to one). */
  unsupportedScheme: 'ERR_URL_SCHEME_UNSUPPORTED',
  /** The host name does not resolve. details.host */
  hostNotFound: 'ERR_HOST_NOT_FOUND',
  connectionRefused: 'ERR_CONNECTION_REFUSED',
  /** Certificate or handshake failure; never retried over plain HTTP. */
  tls: 'ERR_TLS',
  /** An HTTP status the download cannot use. details.status, details.retryAfter */
  httpStatus: 'ERR_HTTP_STATUS',
  /** 416: the server cannot serve the range asked for. */
  rangeNotSatisfiable: 'ERR_RANGE_NOT_SATISFIABLE',
  redirectLoop: 'ERR_REDIRECT_LOOP',
  tooManyRedirects: 'ERR_TOO_MANY_REDIRECTS',
  /** The body ended before Content-Length (or the range) was complete. details.expected, details.received */
  bodyTooShort: 'ERR_BODY_TOO_SHORT',
  /** The server sent more bytes than it announced. details.expected */
  bodyTooLong: 'ERR_BODY_TOO_LONG',
  /** The server closed or reset the connection mid-transfer. */
  connectionReset: 'ERR_CONNECTION_RESET',
  /** Any other network failure (timeouts, unreachable networks). */
  network: 'ERR_NETWORK',
  /** No bytes arrived for the stall timeout. details.timeoutMs */
  stalled: 'ERR_STALLED',
  /** The response made no sense (bad Content-Range, unparsable headers). */
  protocol: 'ERR_PROTOCOL',
  /** The proxy refused or failed the tunnel. */
  proxy: 'ERR_PROXY',
  diskFull: 'ERR_DISK_FULL',
  /** Read-only file system or no permission. details.path */
  notWritable: 'ERR_NOT_WRITABLE',
  /** The destination folder does not exist. details.path */
  directoryMissing: 'ERR_DIRECTORY_MISSING',
  /** Any other file system failure. details.path, details.syscallCode */
  fileSystem: 'ERR_FILE_SYSTEM',
  /** details.algorithm, details.expected, details.actual */
  checksumMismatch: 'ERR_CHECKSUM_MISMATCH',
  cancelled: 'ERR_DOWNLOAD_CANCELLED',
  /** No download with that id. details.id */
  notFound: 'ERR_DOWNLOAD_NOT_FOUND',
  invalidArgument: 'ERR_INVALID_ARGUMENT',
  /** A refreshed URL points at a different file (size or validator differ). */
  resourceChanged: 'ERR_RESOURCE_CHANGED',
} as const;

export type DownloadErrorCode = (typeof DOWNLOAD_ERROR_CODES)[keyof typeof DOWNLOAD_ERROR_CODES];

const ALL_CODES: readonly DownloadErrorCode[] = Object.values(DOWNLOAD_ERROR_CODES);

const C = DOWNLOAD_ERROR_CODES;

/** Codes a new attempt can fix by itself; HTTP statuses are judged by `isRetryableStatus`. */
const RETRYABLE_CODES: ReadonlySet<DownloadErrorCode> = new Set<DownloadErrorCode>([
  C.connectionRefused,
  C.bodyTooShort,
  C.connectionReset,
  C.network,
  C.stalled,
  C.proxy,
]);

/** 408 Request Timeout, 429 Too Many Requests and every 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

export interface DownloadErrorOptions extends SkeinErrorOptions {
  /** Overrides the judgement derived from the code (and details.status). */
  retryable?: boolean;
}

/** A download failure with a stable code; `message` is a sentence for people. */
export class DownloadError extends SkeinError {
  declare readonly code: DownloadErrorCode;
  /** Whether the transfer may try again by itself (within its retry budget). */
  readonly retryable: boolean;

  constructor(code: DownloadErrorCode, message?: string, options: DownloadErrorOptions = {}) {
    // An explicit judgement travels in details so it survives a process boundary.
    const details = options.retryable === undefined ? (options.details ?? {}) : { ...options.details, retryable: options.retryable };
    super(code, message ?? describeDownloadError(code, details), { cause: options.cause, details });
    this.retryable = judgeRetryable(code, details);
  }

  /** The user-visible form stored in a snapshot. */
  toInfo(): DownloadErrorInfo {
    const info: DownloadErrorInfo = { code: this.code, message: this.message };
    if (typeof this.details.status === 'number') info.status = this.details.status;
    return info;
  }
}

function judgeRetryable(code: DownloadErrorCode, details: Record<string, unknown>): boolean {
  if (typeof details.retryable === 'boolean') return details.retryable;
  if (code === C.httpStatus) return typeof details.status === 'number' && isRetryableStatus(details.status);
  return RETRYABLE_CODES.has(code);
}

export function isDownloadErrorCode(code: unknown): code is DownloadErrorCode {
  return typeof code === 'string' && (ALL_CODES as readonly string[]).includes(code);
}

export function isDownloadError(error: unknown): error is DownloadError {
  return error instanceof DownloadError;
}

/** The user-visible form of any error: DownloadErrors keep their code, anything else is "unexpected". */
export function toDownloadErrorInfo(error: unknown): DownloadErrorInfo {
  if (error instanceof DownloadError) return error.toInfo();
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message };
}

for (const code of ALL_CODES) {
  registerErrorCode(code, (serialized, cause) => new DownloadError(code, serialized.message, { cause, details: serialized.details }));
}
