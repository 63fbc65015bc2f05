import { closeBody, header, openRequest, type HttpResponse } from '../http/request.ts';
import type { TlsOptions } from '../http/dispatchers.ts';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import {
  type ContentRange,
  contentLength,
  failForStatus,
  ifRangeValue,
  lastModified,
  parseContentRange,
  protocolError,
  strongEtag,
  unsatisfiedTotal,
  validatorsDiffer,
} from './response-check.ts';
import type { ResourceMetadata } from './types.ts';

/**
 * The two requests a transfer makes: the probe (first GET, `Range: bytes=0-`,
 * which tells range support and size in one round trip and whose body is kept
 * as the first connection's data) and range requests for segments, each
 * guarded by If-Range so a changed file can never be spliced into the old one.
 */

/** Thrown inside the transfer when it must discard its bytes and start from zero. */
export class RestartFromZero extends Error {
  /** True when validators prove the server's file changed (the user is told). */
  readonly changed: boolean;

  constructor(changed: boolean, reason: string) {
    super(reason);
    this.name = 'RestartFromZero';
    this.changed = changed;
  }
}

export interface RequestSettings {
  url: string;
  headers: Record<string, string>;
  proxy: string | null;
  headersTimeoutMs: number;
  highWaterMark: number;
  tls?: TlsOptions | undefined;
}

export interface ProbeResult {
  response: HttpResponse;
  totalBytes: number | null;
  acceptsRanges: boolean;
  etag: string | null;
  lastModified: string | null;
}

function send(settings: RequestSettings, url: string, extra: Record<string, string>, signal: AbortSignal): Promise<HttpResponse> {
  return openRequest({
    url,
    headers: { ...settings.headers, ...extra },
    proxy: settings.proxy,
    signal,
    headersTimeoutMs: settings.headersTimeoutMs,
    highWaterMark: settings.highWaterMark,
    tls: settings.tls,
  });
}

/** The first request of a download (or of a start over). */
export async function probe(settings: RequestSettings, signal: AbortSignal): Promise<ProbeResult> {
  let response = await send(settings, settings.url, { range: 'bytes=0-' }, signal);
  if (response.status === 416) {
    // An empty file cannot satisfy "bytes=0-": ask for it whole.
    failUnlessEmpty(response);
    response = await send(settings, settings.url, {}, signal);
  }
  if (response.status === 206) {
    const range = parseContentRange(header(response, 'content-range'));
    if (range === null || range.start !== 0) throw protocolError(response, 'the answer to "bytes=0-" does not start at byte 0');
    assertLengthsAgree(response, range);
    return {
      response,
      totalBytes: range.total,
      // "bytes 0-99/*": ranges without a known size cannot be split or validated.
      acceptsRanges: range.total !== null,
      etag: strongEtag(response),
      lastModified: lastModified(response),
    };
  }
  if (response.status !== 200) failForStatus(response);
  // A 200 to a range request: the server ignores ranges, so one connection reads it all.
  return { response, totalBytes: contentLength(response), acceptsRanges: false, etag: strongEtag(response), lastModified: lastModified(response) };
}

/**
 * A 206 whose Content-Length disagrees with its Content-Range: the HTTP parser
 * would stop at Content-Length, silently dropping (or waiting for) the rest.
 */
function assertLengthsAgree(response: HttpResponse, range: ContentRange): void {
  const announced = contentLength(response);
  const rangeLength = range.end - range.start + 1;
  if (announced === null || announced === rangeLength) return;
  closeBody(response.body);
  if (announced < rangeLength) {
    throw new DownloadError(C.bodyTooLong, undefined, { details: { url: response.finalUrl, expected: announced, rangeLength } });
  }
  throw new DownloadError(C.protocol, undefined, { details: { url: response.finalUrl, reason: `Content-Length ${announced} is longer than the range ${rangeLength}` } });
}

function failUnlessEmpty(response: HttpResponse): void {
  const total = unsatisfiedTotal(header(response, 'content-range'));
  if (total !== 0 && total !== null) failForStatus(response);
  closeBody(response.body);
}

/**
 * Requests [from, end) of the resource described by `metadata`. Resolves with a
 * 206 that provably continues the same file; throws RestartFromZero when the
 * file changed or the server stopped honouring ranges, or a DownloadError.
 */
export async function openRange(
  settings: RequestSettings,
  url: string,
  metadata: ResourceMetadata,
  from: number,
  end: number,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const extra: Record<string, string> = { range: `bytes=${from}-${end - 1}` };
  const validator = ifRangeValue(metadata);
  if (validator !== null) extra['if-range'] = validator;
  const response = await send(settings, url, extra, signal);
  if (response.status === 206) {
    const range = parseContentRange(header(response, 'content-range'));
    if (range === null) throw protocolError(response, 'a partial answer without a valid Content-Range');
    if (validatorsDiffer(metadata, response, range.total)) {
      closeBody(response.body);
      throw new RestartFromZero(true, 'the server sent a range of a different version of the file');
    }
    if (range.start !== from) throw protocolError(response, `asked for byte ${from}, got a range starting at ${range.start}`);
    assertLengthsAgree(response, range);
    return response;
  }
  if (response.status === 200) {
    // If-Range answered with the whole file: the validator no longer matches, or ranges are ignored now.
    const changed = validatorsDiffer(metadata, response, contentLength(response)) || (validator !== null && hasValidators(response) && !matches(metadata, response));
    closeBody(response.body);
    throw new RestartFromZero(changed, changed ? 'the file changed on the server' : 'the server ignored the range request');
  }
  if (response.status === 416) {
    // Our range lies inside the size we knew: the file on the server is no longer that size.
    closeBody(response.body);
    throw new RestartFromZero(true, 'the server cannot serve a range inside the known size');
  }
  return failForStatus(response);
}

function hasValidators(response: HttpResponse): boolean {
  return strongEtag(response) !== null || lastModified(response) !== null;
}

function matches(metadata: ResourceMetadata, response: HttpResponse): boolean {
  if (metadata.etag !== null) return strongEtag(response) === metadata.etag;
  return metadata.lastModified !== null && lastModified(response) === metadata.lastModified;
}
