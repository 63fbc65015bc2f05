import { ForbiddenSenderError } from '../../shared/contract/errors.ts';

/** The renderer's own scheme and host: the page is app://skein/index.html, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'skein';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** What main knows about the frame an IPC message came from. */
export interface SenderFacts {
  /** URL of the sending frame; null when the frame is already gone. */
  frameUrl: string | null;
  /** The sending frame is the top frame of its page (not an iframe). */
  isMainFrame: boolean;
  /** The page belongs to one of the app's own windows. */
  isAppWindow: boolean;
}

export interface SenderPolicy {
  /** The dev server's origin (electron-vite dev), trusted only in unpackaged runs. */
  devServerOrigin: string | null;
}

/**
 * Accepts a request only from the top frame of an app window showing the app's
 * own page. Throws ForbiddenSenderError otherwise (nothing else is checked first).
 */
export function assertTrustedSender(facts: SenderFacts, policy: SenderPolicy): void {
  if (!facts.isAppWindow) throw new ForbiddenSenderError('The request did not come from a Skein window');
  if (!facts.isMainFrame) throw new ForbiddenSenderError('Requests from embedded frames are refused');
  if (facts.frameUrl === null || !isTrustedPageUrl(facts.frameUrl, policy)) {
    throw new ForbiddenSenderError('The request came from a page that is not Skein');
  }
}

/** True for the app's own pages (and the dev server's, when one is configured). */
export function isTrustedPageUrl(url: string, policy: SenderPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  return policy.devServerOrigin !== null && parsed.origin === policy.devServerOrigin;
}

/** The dev server origin from electron-vite's ELECTRON_RENDERER_URL, only when unpackaged and on loopback. */
export function devServerOriginFrom(rendererUrl: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !rendererUrl) return null;
  try {
    const url = new URL(rendererUrl);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.protocol === 'http:' && loopback ? url.origin : null;
  } catch {
    return null;
  }
}
