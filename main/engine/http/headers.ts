import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';

/**
 * The request headers of a download: the user's own (validated), plus cookies,
 * user agent and referer. Headers the transfer must control (Range, If-Range,
 * Accept-Encoding, framing) cannot be overridden: a compressed or re-framed
 * body would make byte offsets meaningless.
 */

export const DEFAULT_USER_AGENT = 'Skein/0.1 (download manager)';

/** Lower-case names the transfer owns. */
const RESERVED = new Set(['range', 'if-range', 'accept-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'host', 'expect']);

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface HeaderSources {
  headers?: Record<string, string> | undefined;
  cookies?: string | undefined;
  userAgent?: string | undefined;
  referer?: string | undefined;
}

/** Validates and composes the headers sent with every request of a download. Throws ERR_INVALID_ARGUMENT. */
export function buildRequestHeaders(sources: HeaderSources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(sources.headers ?? {})) {
    const lower = name.trim().toLowerCase();
    if (!TOKEN.test(lower)) throw invalid(`header name "${printable(name)}"`, 'not a valid header name');
    if (RESERVED.has(lower)) continue;
    out[lower] = headerValue(value, name);
  }
  out['user-agent'] = sources.userAgent !== undefined && sources.userAgent.trim() !== '' ? headerValue(sources.userAgent, 'user agent') : (out['user-agent'] ?? DEFAULT_USER_AGENT);
  if (sources.referer !== undefined && sources.referer.trim() !== '') out.referer = headerValue(sources.referer, 'referer');
  if (sources.cookies !== undefined && sources.cookies.trim() !== '') {
    const cookies = headerValue(sources.cookies, 'cookies');
    out.cookie = out.cookie ? `${out.cookie}; ${cookies}` : cookies;
  }
  out['accept-encoding'] = 'identity';
  if (out.accept === undefined) out.accept = '*/*';
  return out;
}

/**
 * A header value as the wire carries it: one char per byte. Characters beyond
 * Latin-1 are sent as their UTF-8 bytes (what browsers do for cookies);
 * CR, LF and NUL are refused, since they would split the request.
 */
export function headerValue(value: string, what: string): string {
  if (typeof value !== 'string') throw invalid(what, 'must be text');
  if (/[\r\n\0]/.test(value)) throw invalid(what, 'contains a line break or NUL character');
  const trimmed = value.trim();
  if (trimmed.length > 16 * 1024) throw invalid(what, 'is longer than 16 KiB');
  // eslint-disable-next-line no-control-regex -- finding characters beyond Latin-1 is the point
  if (!/[^\u0000-\u00ff]/.test(trimmed)) return trimmed;
  return String.fromCharCode(...new TextEncoder().encode(trimmed));
}

function invalid(what: string, reason: string): DownloadError {
  return new DownloadError(C.invalidArgument, undefined, { details: { name: what, reason } });
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
}

/** Whether a redirect from `from` to `to` leaves the origin, so credentials must stay behind. */
export function crossesOrigin(from: string, to: string): boolean {
  return new URL(from).origin !== new URL(to).origin;
}

/** Headers for the next hop of a redirect: no credentials to another origin. */
export function headersForRedirect(headers: Record<string, string>, from: string, to: string): Record<string, string> {
  if (!crossesOrigin(from, to)) return headers;
  const next = { ...headers };
  delete next.authorization;
  delete next.cookie;
  delete next['proxy-authorization'];
  return next;
}
