import * as v from 'valibot';
import { downloadRequest } from '../../shared/contract/schemas.ts';
import { DOWNLOAD_ERROR_CODES as CODES, DownloadError } from '../../shared/download/errors.ts';
import { join } from 'node:path';
import type { DownloadRequest, Settings } from '../../shared/download/types.ts';
import type { DownloadRecord } from './record.ts';
import { fileNameFromUrl } from './naming/choose-name.ts';
import { sanitizeFileName } from './naming/sanitize.ts';

/**
 * Checks a request at the engine's door with the bridge's own schema: the CLI and
 * tests call the engine directly, so the engine cannot rely on main having checked.
 */
export function checkDownloadRequest(request: unknown): DownloadRequest {
  const url = (request as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || !isAbsoluteUrl(url)) {
    throw new DownloadError(CODES.invalidUrl, undefined, { details: { url: String(url).slice(0, 200) } });
  }
  const protocol = new URL(url).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new DownloadError(CODES.unsupportedScheme, undefined, { details: { url: url.slice(0, 200), scheme: protocol.slice(0, -1) } });
  }
  const result = v.safeParse(downloadRequest, request);
  if (result.success) return result.output as DownloadRequest;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join('.') ?? 'request';
  throw new DownloadError(CODES.invalidArgument, `${field}: ${issue.message}`, { details: { field } });
}

function isAbsoluteUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The name shown before the server answers: the user's choice or the URL's last
 * path segment. The transfer picks the real, sanitised and unique name later.
 */
export function provisionalFileName(request: Pick<DownloadRequest, 'url' | 'fileName'>): string {
  if (request.fileName) return request.fileName;
  const segment = fileNameFromUrl(request.url);
  return sanitizeFileName(segment);
}

/** A new, queued download for a checked request; what the request leaves out comes from the settings. */
export function newRecord(
  request: DownloadRequest,
  settings: Pick<Settings, 'downloadDirectory' | 'connectionsPerDownload'>,
  identity: Pick<DownloadRecord, 'id' | 'position' | 'createdAt'>,
): DownloadRecord {
  const directory = request.directory ?? settings.downloadDirectory;
  const fileName = provisionalFileName(request);
  return {
    ...identity,
    url: request.url,
    state: 'queued',
    directory,
    fileName,
    filePath: join(directory, fileName),
    options: { fileName: request.fileName, headers: request.headers, cookies: request.cookies, userAgent: request.userAgent, referer: request.referer },
    metadata: null,
    downloadedBytes: 0,
    connections: request.connections ?? settings.connectionsPerDownload,
    speedLimit: request.speedLimit ?? 0,
    checksum: request.checksum ?? null,
    segments: [],
    error: null,
    retry: null,
    restartedBecauseChanged: false,
    finishedAt: null,
  };
}
