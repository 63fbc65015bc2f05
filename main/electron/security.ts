/**
 * Everything that keeps web content in its box: the app:// scheme serving the
 * built renderer (never file://), denied navigation, window.open and webviews,
 * and every permission request refused.
 */
import { app, protocol, type Session, type WebContents } from 'electron';
import { serveAppRequest } from '../app/app-protocol.ts';
import { APP_SCHEME, isTrustedPageUrl, type SenderPolicy } from '../app/sender-policy.ts';

/** Must run before `app` is ready: app:// behaves like https (standard, secure, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true } },
  ]);
}

/** Serves app:// from the built renderer folder with the strict CSP on every response. */
export function serveAppScheme(session: Session, rendererRoot: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const response = await serveAppRequest(rendererRoot, request.method, request.url);
    return new Response(typeof response.body === 'string' ? response.body : new Uint8Array(response.body), {
      status: response.status,
      headers: response.headers,
    });
  });
}

/** No camera, notifications-from-web, clipboard-read, HID...: the page needs none of them. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

/** Applies to every web contents the app creates: nothing navigates away, nothing opens. */
export function lockDownWebContents(policy: SenderPolicy): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, policy));
}

function guardContents(contents: WebContents, policy: SenderPolicy): void {
  // No in-app windows. Links the user clicks go through the bridge's openExternal,
  // which checks the scheme and the click; a script's window.open gets nothing.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedPageUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedPageUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
