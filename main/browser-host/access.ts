import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the browser host: only someone who has the token printed at
 * start (in the URL's `?token=`, or the cookie set when that URL was opened),
 * only through a loopback Host name (no DNS rebinding), and for the WebSocket
 * only from the host's own page (Origin checked: another site open in the same
 * browser cannot drive the downloads).
 */

export const TOKEN_COOKIE = 'skein_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(request: IncomingMessage): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export type Credential = 'query' | 'cookie' | null;

/** Which credential (if any) the request carries that matches the token. */
export function credentialOf(request: IncomingMessage, url: URL, token: string): Credential {
  if (sameToken(url.searchParams.get('token'), token)) return 'query';
  if (sameToken(cookieToken(request), token)) return 'cookie';
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ') && sameToken(authorization.slice(7), token)) return 'query';
  return null;
}

/** The Host names this host answers to: the loopback address it listens on, and localhost. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function cookieHeader(token: string): string {
  // HttpOnly: page scripts never see it; SameSite=Strict: other sites' requests never carry it.
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
