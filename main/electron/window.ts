/** The main window: hardened web preferences, remembered bounds, shown when ready. */
import { BrowserWindow, nativeImage, screen } from 'electron';
import { drawMark, encodePng } from '../app/icon-art.ts';
import { APP_ENTRY_URL } from '../app/sender-policy.ts';
import { restoreWindowState, type WindowStateFile } from '../app/window-state.ts';

export interface MainWindowOptions {
  preloadPath: string;
  stateFile: WindowStateFile;
  /** electron-vite's dev server in unpackaged runs; otherwise app://skein. */
  devServerUrl: string | null;
  /** Called before the page loads, so its first IPC request already comes from a known window. */
  beforeLoad(window: BrowserWindow): void;
}

/** The web preferences every Skein window uses; e2e tests read them back. */
export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
  };
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const displays = screen.getAllDisplays().map((display) => display.workArea);
  const state = restoreWindowState(await options.stateFile.load(), displays);
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Skein',
    backgroundColor: '#00000000',
    // Linux shows the window's own icon in docks and alt-tab; macOS and Windows use the bundle's.
    ...(process.platform === 'linux' ? { icon: nativeImage.createFromBuffer(encodePng(drawMark(256), 256, 256)) } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const remember = (): void => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    const bounds = window.getNormalBounds();
    options.stateFile.saveSoon({ ...bounds, maximized: window.isMaximized() });
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', remember);
  window.on('close', () => {
    remember();
    void options.stateFile.flush();
  });

  options.beforeLoad(window);
  await window.loadURL(options.devServerUrl ?? APP_ENTRY_URL);
  return window;
}
