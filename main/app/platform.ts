import type { ClientId } from './result-registry.ts';

/**
 * What the host's desktop can do, injected by the adapter: Electron's shell and
 * dialog in the app, nothing (or a browser tab) in the browser host. The service
 * has checked every argument before calling these.
 */
export interface PlatformServices {
  /** Opens a file the engine downloaded with the default application; rejects when the OS could not. */
  openPath(path: string): Promise<void>;
  /** Shows (and selects) a downloaded file in the file manager. */
  showItemInFolder(path: string): void;
  /** Opens an http(s) URL in the default browser. */
  openExternal(url: string): Promise<void>;
  /** The native folder picker, parented to the client's window; absent where there is none. */
  chooseDirectory?(client: ClientId): Promise<string | null>;
}

/** A platform that can do nothing native: the browser host, and tests that need no desktop. */
export const headlessPlatform: PlatformServices = {
  openPath: () => Promise.resolve(),
  showItemInFolder: () => {},
  openExternal: () => Promise.resolve(),
};
