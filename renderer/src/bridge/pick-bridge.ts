import { asBridgeError } from '../../../shared/contract/client.ts';
// Registers the reactor's error codes, so TimeoutError and friends come back as themselves.
import '../../../shared/reactor/errors.ts';
import type { SkeinBridge } from '../../../shared/contract/bridge.ts';
import type { LinkState } from '../stores/connection.ts';
import { createWebSocketBridge, socketUrlFor } from './websocket-bridge.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser served by the browser host. */
    skein?: SkeinBridge;
  }
}

export interface PickedBridge {
  bridge: SkeinBridge;
  kind: 'electron' | 'browser';
  close(): void;
}

/** The preload's bridge inside Electron, else a WebSocket to the browser host that served this page. */
export function pickBridge(hooks: { onLinkChange(state: LinkState): void; onReconnect(): void }): PickedBridge {
  if (window.skein) {
    hooks.onLinkChange('open');
    return { bridge: window.skein, kind: 'electron', close: () => undefined };
  }
  const { bridge, close } = createWebSocketBridge({
    url: socketUrlFor(window.location),
    onLinkChange: hooks.onLinkChange,
    onReconnect: hooks.onReconnect,
  });
  return { bridge, kind: 'browser', close };
}

/**
 * A failure's code, whatever shape the bridge rejected with (the preload sends
 * plain objects). Codes this window has no class for arrive as RemoteError; the
 * original code is what matters here.
 */
export function codeOfFailure(reason: unknown): string {
  const error = asBridgeError(reason) as { code?: unknown; remoteCode?: unknown };
  if (error.code === 'ERR_REMOTE' && typeof error.remoteCode === 'string') return error.remoteCode;
  return typeof error.code === 'string' ? error.code : 'ERR_UNKNOWN';
}

export function messageOfFailure(reason: unknown): string {
  return asBridgeError(reason).message;
}
