import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';

/**
 * Maps what Node and undici throw for a failed request to a DownloadError with a
 * stable code. TLS failures are never retried: the only way to "fix" them
 * automatically would be to stop verifying, which Skein never does.
 */

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);
const NETWORK_CODES = new Set([
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_FAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The innermost error code along the cause chain (undici wraps socket errors). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `url` is the request's URL (for the host in DNS errors). Errors already mapped pass through. */
export function toNetworkError(error: unknown, url: string): DownloadError {
  if (error instanceof DownloadError) return error;
  const codes = codesOf(error);
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // keep ''
  }
  const details = { url, host, reason: reasonOf(error), syscallCode: codes[codes.length - 1] ?? 'unknown' };
  const has = (set: ReadonlySet<string> | string[]): boolean => codes.some((code) => (Array.isArray(set) ? set.includes(code) : set.has(code)));
  const message = reasonOf(error);

  if (has(['ENOTFOUND'])) return new DownloadError(C.hostNotFound, undefined, { cause: error, details });
  // A temporary resolver failure (no network yet, resolver timed out) is worth retrying.
  if (has(['EAI_AGAIN'])) return new DownloadError(C.hostNotFound, undefined, { cause: error, details, retryable: true });
  if (has(TLS_CODES) || codes.some((code) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) || /certificate|SSL routines|TLS/i.test(message)) {
    return new DownloadError(C.tls, undefined, { cause: error, details });
  }
  // undici reports a failed CONNECT as an abort whose message names the proxy.
  if ((/proxy/i.test(message) && has(['UND_ERR_ABORTED', 'UND_ERR_PRX_TLS'])) || has(['UND_ERR_SOCKS5'])) {
    return new DownloadError(C.proxy, undefined, { cause: error, details });
  }
  if (has(['ECONNREFUSED'])) return new DownloadError(C.connectionRefused, undefined, { cause: error, details });
  if (has(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH'])) return new DownloadError(C.bodyTooShort, undefined, { cause: error, details });
  if (has(RESET_CODES) || /other side closed|socket hang up/i.test(message)) {
    return new DownloadError(C.connectionReset, undefined, { cause: error, details });
  }
  if (has(NETWORK_CODES)) return new DownloadError(C.network, undefined, { cause: error, details });
  if (codes.some((code) => code.startsWith('HPE_')) || has(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_INFO']) || has(['UND_ERR_HTTP_PARSER'])) {
    return new DownloadError(C.protocol, undefined, { cause: error, details });
  }
  if (has(['UND_ERR_INVALID_ARG', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN'])) {
    return new DownloadError(C.invalidArgument, undefined, { cause: error, details: { ...details, name: 'request headers' } });
  }
  // An unknown failure while talking to the network: retry it, a bug would show up as the same failure every time.
  return new DownloadError(C.network, undefined, { cause: error, details });
}
