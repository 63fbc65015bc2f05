import { realpath, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { isInside } from './path-guard.ts';
import { APP_HOST } from './sender-policy.ts';

/**
 * The page's Content-Security-Policy: only the app's own scripts (no eval, no
 * remote or inline scripts), only its own style sheets (style attributes set from
 * script still apply), no plugins, no framing, no form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Answers an app:// request from the built renderer folder. Only GET of files
 * inside `rendererRoot` (after resolving links); routes without a file extension
 * get index.html so the UI can use history routing.
 */
export async function serveAppRequest(rendererRoot: string, method: string, requestUrl: string): Promise<AppResponse> {
  const notFound = (status = 404): AppResponse => ({ status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not found' });
  if (method !== 'GET' && method !== 'HEAD') return notFound(405);
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return notFound(400);
  }
  if (url.host !== APP_HOST) return notFound();
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return notFound(400);
  }
  if (pathname.includes('\0')) return notFound(400);
  if (pathname === '/' || extname(pathname) === '') pathname = '/index.html';
  const root = await realpath(rendererRoot);
  const candidate = resolve(join(root, pathname));
  if (!isInside(root, candidate)) return notFound();
  try {
    const real = await realpath(candidate);
    if (!isInside(root, real)) return notFound();
    const body = await readFile(real);
    const type = MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' }, body: method === 'HEAD' ? '' : body };
  } catch {
    return notFound();
  }
}
