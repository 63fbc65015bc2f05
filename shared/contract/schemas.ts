import * as v from 'valibot';

/** Validation of everything a renderer may send. Bounds are generous but finite. */

const MAX_URL_LENGTH = 8192;
const MAX_HEADER_VALUE = 8192;

export const httpUrl = v.pipe(
  v.string(),
  v.maxLength(MAX_URL_LENGTH, 'The URL is too long'),
  v.check((text) => {
    try {
      const protocol = new URL(text).protocol;
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Only absolute http:// and https:// URLs can be downloaded'),
);

export const downloadId = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/, 'Not a download id'));

export const resultUid = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));

const bytesPerSecond = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e12));

const absolutePath = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(4096),
  v.check((path) => !path.includes('\0'), 'Paths cannot contain NUL'),
  v.check((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'The folder must be an absolute path'),
);

const headerName = v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, 'Not a valid header name'));
const headerValue = v.pipe(
  v.string(),
  v.maxLength(MAX_HEADER_VALUE),
  v.check((value) => !/[\r\n\0]/.test(value), 'Header values cannot contain line breaks'),
);

export const checksum = v.strictObject({
  algorithm: v.picklist(['sha256', 'sha1', 'md5']),
  hex: v.pipe(v.string(), v.regex(/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/, 'Not a hex digest'), v.toLowerCase()),
});

export const downloadRequest = v.strictObject({
  url: httpUrl,
  directory: v.optional(absolutePath),
  fileName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(255))),
  connections: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64))),
  speedLimit: v.optional(bytesPerSecond),
  checksum: v.optional(checksum),
  headers: v.optional(v.pipe(v.record(headerName, headerValue), v.check((h) => Object.keys(h).length <= 64, 'At most 64 headers'))),
  cookies: v.optional(headerValue),
  userAgent: v.optional(headerValue),
  referer: v.optional(httpUrl),
});

export const settingsPatch = v.strictObject({
  downloadDirectory: v.optional(absolutePath),
  maxConcurrentDownloads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(32))),
  connectionsPerDownload: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64))),
  globalSpeedLimit: v.optional(bytesPerSecond),
  retryLimit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  stallTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(600_000))),
  notifications: v.optional(v.boolean()),
  theme: v.optional(v.picklist(['system', 'light', 'dark'])),
  proxy: v.optional(v.nullable(httpUrl)),
  openAtLogin: v.optional(v.boolean()),
});

export const empty = v.strictObject({});
export const byId = v.strictObject({ id: downloadId });
export const byUid = v.strictObject({ uid: resultUid });
