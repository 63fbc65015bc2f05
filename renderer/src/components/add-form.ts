import type { ChecksumAlgorithm, DownloadRequest } from '../../../shared/download/types.ts';
import { isHttpUrl, parseHeaderLines, parseUrlLines } from '../format/links.ts';
import { parseSpeedLimit } from '../format/units.ts';

/** Everything the Add dialog's fields hold, as typed. */
export interface AddForm {
  urls: string;
  directory: string;
  fileName: string;
  connections: string;
  speedLimit: string;
  checksumAlgorithm: ChecksumAlgorithm;
  checksumHex: string;
  headers: string;
  cookies: string;
  userAgent: string;
  referer: string;
}

export const emptyAddForm = (urls: string[]): AddForm => ({
  urls: urls.join('\n'),
  directory: '',
  fileName: '',
  connections: '',
  speedLimit: '',
  checksumAlgorithm: 'sha256',
  checksumHex: '',
  headers: '',
  cookies: '',
  userAgent: '',
  referer: '',
});

export type AddFormErrors = Partial<Record<keyof AddForm, string>>;

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64 };

/** Turns the form into requests, or says (per field, as sentences) what to fix. */
export function buildRequests(form: AddForm): { requests: DownloadRequest[] } | { errors: AddFormErrors } {
  const errors: AddFormErrors = {};
  const lines = parseUrlLines(form.urls);
  const bad = lines.find((line) => !line.valid);
  if (lines.length === 0) errors.urls = 'Paste at least one link.';
  else if (bad) errors.urls = `Line ${bad.line} is not an http:// or https:// link.`;

  const options: Omit<DownloadRequest, 'url'> = {};
  if (form.directory.trim()) {
    const directory = form.directory.trim();
    if (!(directory.startsWith('/') || /^[A-Za-z]:[\\/]/.test(directory) || directory.startsWith('\\\\'))) errors.directory = 'Use a full path, like /home/me/Downloads.';
    else options.directory = directory;
  }
  if (form.fileName.trim()) {
    if (lines.length > 1) errors.fileName = 'A file name can only be set for a single link.';
    else if (/[/\\]/.test(form.fileName)) errors.fileName = 'A file name cannot contain slashes.';
    else options.fileName = form.fileName.trim();
  }
  if (form.connections.trim()) {
    const connections = Number(form.connections);
    if (!Number.isInteger(connections) || connections < 1 || connections > 64) errors.connections = 'Use a whole number from 1 to 64.';
    else options.connections = connections;
  }
  if (form.speedLimit.trim()) {
    const limit = parseSpeedLimit(form.speedLimit);
    if (limit === null) errors.speedLimit = 'Write a speed like 500 KB or 2 MB (0 for no limit).';
    else options.speedLimit = limit;
  }
  if (form.checksumHex.trim()) {
    const hex = form.checksumHex.trim().toLowerCase();
    const length = HEX_LENGTH[form.checksumAlgorithm];
    if (!new RegExp(`^[0-9a-f]{${length}}$`).test(hex)) errors.checksumHex = `A ${form.checksumAlgorithm.toUpperCase()} checksum is ${length} hexadecimal characters.`;
    else options.checksum = { algorithm: form.checksumAlgorithm, hex };
  }
  if (form.headers.trim()) {
    const parsed = parseHeaderLines(form.headers);
    if ('badLine' in parsed) errors.headers = `“${parsed.badLine}” is not a “Name: value” header.`;
    else options.headers = parsed.headers;
  }
  if (form.cookies.trim()) options.cookies = form.cookies.trim();
  if (form.userAgent.trim()) options.userAgent = form.userAgent.trim();
  if (form.referer.trim()) {
    if (!isHttpUrl(form.referer.trim())) errors.referer = 'The referrer must be an http:// or https:// link.';
    else options.referer = form.referer.trim();
  }

  if (Object.keys(errors).length > 0) return { errors };
  return { requests: lines.map((line) => ({ url: line.text, ...options })) };
}
