import { buildRequestHeaders, type HeaderSources } from '../http/headers.ts';
import type { TlsOptions } from '../http/dispatchers.ts';
import { closeBody, header, parseHttpUrl } from '../http/request.ts';
import { chooseFileName } from '../naming/choose-name.ts';
import { probe } from './requests.ts';
import type { ResourceMetadata } from './types.ts';

/**
 * What a URL serves, without downloading it: for the engine's "refresh URL"
 * (does the new link serve the same file?) and for showing a name early.
 * One GET with `Range: bytes=0-`, closed after the headers.
 */
export interface InspectedResource {
  finalUrl: string;
  totalBytes: number | null;
  acceptsRanges: boolean;
  etag: string | null;
  lastModified: string | null;
  /** Sanitised name the server suggests (not made unique). */
  suggestedName: string;
}

export interface InspectOptions extends HeaderSources {
  proxy: string | null;
  signal: AbortSignal;
  timeoutMs?: number;
  tls?: TlsOptions;
}

export async function inspectUrl(url: string, options: InspectOptions): Promise<InspectedResource> {
  parseHttpUrl(url);
  const result = await probe(
    { url, headers: buildRequestHeaders(options), proxy: options.proxy, headersTimeoutMs: options.timeoutMs ?? 30_000, highWaterMark: 64 * 1024, tls: options.tls },
    options.signal,
  );
  closeBody(result.response.body);
  return {
    finalUrl: result.response.finalUrl,
    totalBytes: result.totalBytes,
    acceptsRanges: result.acceptsRanges,
    etag: result.etag,
    lastModified: result.lastModified,
    suggestedName: chooseFileName({
      contentDisposition: header(result.response, 'content-disposition'),
      finalUrl: result.response.finalUrl,
      contentType: header(result.response, 'content-type'),
    }),
  };
}

/**
 * Whether bytes downloaded as `stored` may be continued from `inspected`: same
 * size, ranges, and a validator that matches (a strong ETag, else Last-Modified).
 * Without any validator on either side only the size can be compared, which is
 * not proof: that case is "no".
 */
export function isSameResource(stored: Pick<ResourceMetadata, 'totalBytes' | 'etag' | 'lastModified'>, inspected: InspectedResource): boolean {
  if (!inspected.acceptsRanges || stored.totalBytes === null || stored.totalBytes !== inspected.totalBytes) return false;
  if (stored.etag !== null && inspected.etag !== null) return stored.etag === inspected.etag;
  if (stored.lastModified !== null && inspected.lastModified !== null) return stored.lastModified === inspected.lastModified;
  return false;
}
