import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import { discard, header, type HttpResponse } from '../http/request.ts';

/**
 * Reading what a response says about the resource, and refusing answers that
 * would mix bytes: a 206 for another range or another size, or a validator
 * that changed.
 */

export interface ContentRange {
  start: number;
  /** Inclusive, as on the wire. */
  end: number;
  /** null for "*" (size unknown). */
  total: number | null;
}

/** Parses `bytes a-b/total` (or `bytes a-b/*`); null when malformed. */
export function parseContentRange(value: string | null): ContentRange | null {
  if (value === null) return null;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (total !== null && (!Number.isSafeInteger(total) || end >= total)) return null;
  return { start, end, total };
}

/** The total size in a 416's `bytes *\/total`, or null. */
export function unsatisfiedTotal(value: string | null): number | null {
  const match = value === null ? null : /^\s*bytes\s+\*\/(\d+)\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}

/** Content-Length as a number, or null when absent or unreadable. */
export function contentLength(response: Pick<HttpResponse, 'headers'>): number | null {
  const value = header(response, 'content-length');
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : null;
}

/** A strong ETag, or null (weak ETags cannot validate byte ranges). */
export function strongEtag(response: Pick<HttpResponse, 'headers'>): string | null {
  const value = header(response, 'etag')?.trim() ?? null;
  if (value === null || value === '' || value.startsWith('W/')) return null;
  return value;
}

export function lastModified(response: Pick<HttpResponse, 'headers'>): string | null {
  const value = header(response, 'last-modified')?.trim() ?? null;
  return value === '' ? null : value;
}

/** The If-Range value to send: the strong ETag, else Last-Modified, else nothing. */
export function ifRangeValue(validators: { etag: string | null; lastModified: string | null }): string | null {
  return validators.etag ?? validators.lastModified ?? null;
}

/**
 * Throws the error for a status the transfer cannot use, after discarding the
 * body (an error page is never written into the file).
 */
export function failForStatus(response: HttpResponse): never {
  discard(response.body);
  const details: Record<string, unknown> = { status: response.status, url: response.finalUrl };
  const retryAfter = header(response, 'retry-after');
  if (retryAfter !== null) details.retryAfter = retryAfter;
  if (response.status === 416) throw new DownloadError(C.rangeNotSatisfiable, undefined, { details });
  throw new DownloadError(C.httpStatus, undefined, { details });
}

export function protocolError(response: HttpResponse, reason: string): DownloadError {
  discard(response.body);
  return new DownloadError(C.protocol, undefined, { details: { url: response.finalUrl, reason } });
}

/**
 * Whether a response's validators show a different resource than the stored
 * ones. Validators the response lacks are not evidence of change.
 */
export function validatorsDiffer(
  stored: { etag: string | null; lastModified: string | null; totalBytes: number | null },
  response: HttpResponse,
  responseTotal: number | null,
): boolean {
  const etag = strongEtag(response);
  if (stored.etag !== null && etag !== null && etag !== stored.etag) return true;
  const modified = lastModified(response);
  if (stored.etag === null && stored.lastModified !== null && modified !== null && modified !== stored.lastModified) return true;
  return stored.totalBytes !== null && responseTotal !== null && stored.totalBytes !== responseTotal;
}
