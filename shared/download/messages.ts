import type { DownloadErrorCode } from './errors.ts';

/**
 * What each download error code means to a person: what happened and what to do
 * next. The CLI prints these after the code; the window shows them under a download.
 * Facts (a status, a path) come from the error's details.
 */
type Details = Record<string, unknown>;
type Describe = string | ((details: Details) => string);

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const count = (value: unknown): string | null => (typeof value === 'number' && Number.isFinite(value) ? String(value) : null);

const HTTP_STATUS_HINTS: Record<number, string> = {
  400: 'the server did not accept the request; check the link',
  401: 'the server wants you to sign in; add the cookies or headers of a signed-in session',
  403: 'the server refused access; the link may have expired, so get a fresh one and use "Refresh URL"',
  404: 'the file is not on the server (any more); check the link',
  408: 'the server timed out waiting; try again later',
  410: 'the file was removed from the server',
  429: 'the server asks to slow down; Skein waits as long as it asks before each retry',
  500: 'the server had an internal error; try again later',
  502: 'a gateway in front of the server failed; try again later',
  503: 'the server is busy or down for maintenance; try again later',
  504: 'a gateway in front of the server timed out; try again later',
};

function describeStatus(details: Details): string {
  const status = typeof details.status === 'number' ? details.status : null;
  if (status === null) return 'The server answered with an error.';
  const hint = HTTP_STATUS_HINTS[status] ?? (status >= 500 ? 'the server failed; try again later' : 'check the link, or try again later');
  return `The server answered ${status}${text(details.statusText) ? ` ${String(details.statusText)}` : ''}: ${hint}.`;
}

function tooLongFacts(details: Details): string {
  const announced = count(details.expected);
  if (announced === null) return '';
  const extra = count(details.extraBytes);
  if (extra !== null) return ` (${extra} bytes more than the ${announced} of its Content-Length)`;
  const range = count(details.rangeLength);
  if (range !== null) return ` (a ${range}-byte range with a Content-Length of ${announced})`;
  return ` (more than the ${announced} bytes of its Content-Length)`;
}

export const DOWNLOAD_ERROR_MESSAGES: Record<DownloadErrorCode, Describe> = {
  ERR_URL_INVALID: (d) => `${text(d.url) ? `"${String(d.url)}" is` : 'This is'} not a valid web address; check it and add it again.`,
  ERR_URL_SCHEME_UNSUPPORTED: (d) =>
    `Only http and https links can be downloaded${text(d.scheme) ? ` (this one is ${String(d.scheme)})` : ''}.`,
  ERR_HOST_NOT_FOUND: (d) =>
    `The server name ${text(d.host) ? `"${String(d.host)}" ` : ''}could not be found; check the link and your internet connection.`,
  ERR_CONNECTION_REFUSED: 'The server refused the connection; it may be down. Retry later.',
  ERR_TLS: (d) =>
    `The secure connection could not be verified${text(d.reason) ? ` (${String(d.reason)})` : ''}; the download was stopped rather than continue insecurely.`,
  ERR_HTTP_STATUS: describeStatus,
  ERR_RANGE_NOT_SATISFIABLE:
    'The server cannot send the part of the file that is missing (416); the file on the server may have changed. Retry to start over.',
  ERR_REDIRECT_LOOP: 'The server keeps redirecting in a circle; the link is probably broken or needs a sign-in.',
  ERR_TOO_MANY_REDIRECTS: (d) => `The server redirected more than ${count(d.limit) ?? '20'} times; the link is probably broken.`,
  ERR_BODY_TOO_SHORT: (d) =>
    `The server closed the transfer early${count(d.expected) && count(d.received) ? ` (${String(d.received)} of ${String(d.expected)} bytes)` : ''}; the bytes so far are kept and a retry continues from there.`,
  ERR_BODY_TOO_LONG: (d) => `The server sent more data than it announced${tooLongFacts(d)}, so the file cannot be trusted; retry to download it again.`,
  ERR_CONNECTION_RESET: 'The connection to the server was lost; the bytes so far are kept and a retry continues from there.',
  ERR_NETWORK: (d) => `A network error interrupted the download${text(d.reason) ? ` (${String(d.reason)})` : ''}; check your connection, then retry.`,
  ERR_STALLED: (d) =>
    `No data arrived for ${count(d.timeoutMs) ? `${Math.round(Number(d.timeoutMs) / 1000)} seconds` : 'too long'}; the server or the network may be down. The bytes so far are kept; retry later.`,
  ERR_PROTOCOL: (d) => `The server's answer could not be understood${text(d.reason) ? ` (${String(d.reason)})` : ''}.`,
  ERR_PROXY: 'The proxy server could not reach the site; check the proxy setting.',
  ERR_DISK_FULL: 'The disk is full. The download is paused with its data kept; free some space, then resume it.',
  ERR_NOT_WRITABLE: (d) =>
    `Skein may not write to ${text(d.path) ? `"${String(d.path)}"` : 'the destination folder'} (read-only or no permission). The download is paused; choose another folder or fix the permissions, then resume.`,
  ERR_DIRECTORY_MISSING: (d) =>
    `The folder ${text(d.path) ? `"${String(d.path)}" ` : ''}does not exist (was a drive removed?); create it or choose another, then resume.`,
  ERR_FILE_SYSTEM: (d) => `Writing the file failed${text(d.syscallCode) ? ` (${String(d.syscallCode)})` : ''}; the data so far is kept. Resume to try again.`,
  ERR_CHECKSUM_MISMATCH: (d) =>
    `The downloaded file does not match the expected ${text(d.algorithm) ?? 'checksum'}; it was kept as a .part file for inspection. Retry to download it again.`,
  ERR_DOWNLOAD_CANCELLED: 'The download was cancelled.',
  ERR_DOWNLOAD_NOT_FOUND: (d) => `There is no download ${text(d.id) ? `"${String(d.id)}" ` : ''}(it may have been removed).`,
  ERR_INVALID_ARGUMENT: (d) =>
    `Invalid value${text(d.name) ? ` for ${String(d.name)}` : ''}${text(d.reason) ? ` (${String(d.reason)})` : ''}; correct it and try again.`,
  ERR_RESOURCE_CHANGED:
    'The new link points at a different file (its size or version differ), so the downloaded bytes cannot be kept. Retry to start over.',
};

/** The sentence for `code`, filled in from `details`. */
export function describeDownloadError(code: DownloadErrorCode, details: Details = {}): string {
  const describe = DOWNLOAD_ERROR_MESSAGES[code];
  return typeof describe === 'string' ? describe : describe(details);
}

/** Notices the transfer gives that are not failures, for the UI's status line. */
export const DOWNLOAD_NOTICES = {
  rangeIgnored: 'The server refused the range request; downloading with one connection.',
  restartedBecauseChanged: 'The file changed on the server since the download started; it was downloaded again from the beginning.',
  retryAfter: (seconds: number) => `The server asked to wait; retrying in ${Math.max(1, Math.round(seconds))} s.`,
} as const;
