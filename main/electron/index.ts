/**
 * Skein's main process. Wires the Electron-free service (main/app) to Electron:
 * the reactor in a utility process, IPC, the window, security, desktop pieces.
 */
import { join } from 'node:path';
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { STATE_DIR_ENV } from '../engine/app-paths.ts';
import { setup, shutdown } from '../reactor/index.ts';
import { urlsFromArgv } from '../app/launch-urls.ts';
import { devServerOriginFrom } from '../app/sender-policy.ts';
import { createAppService, type AppService } from '../app/service.ts';
import { WindowStateFile } from '../app/window-state.ts';
import { DesktopIntegration } from './desktop.ts';
import { registerBridgeIpc } from './ipc.ts';
import { installApplicationMenu } from './menu.ts';
import { electronPlatform } from './platform.ts';
import { denyAllPermissions, lockDownWebContents, registerAppScheme, serveAppScheme } from './security.ts';
import { spawnUtilityReactor } from './utility-process-transport.ts';
import { TRANSFER_PROCESS_FLAGS } from '../engine/transfer/process-flags.ts';
import { createMainWindow } from './window.ts';

const here = import.meta.dirname;
// Bundled (out/main/index.js) the reactor and engine are siblings; run from sources
// (the main-process tests) they are the TypeScript files and the build output is in out/.
const fromSources = import.meta.url.endsWith('.ts');
const outDir = fromSources ? join(here, '..', '..', 'out') : join(here, '..');
const paths = {
  reactorEntry: fromSources ? join(here, '..', 'reactor', 'entry.ts') : join(here, 'reactor.js'),
  engineModule: fromSources ? join(here, '..', 'engine', 'reactor-module.ts') : join(here, 'engine.js'),
  preload: join(outDir, 'preload', 'index.cjs'),
  renderer: join(outDir, 'renderer'),
};
/** Longest a quit waits for the engine to pause and persist before the process ends anyway. */
const QUIT_GRACE_MS = 8000;
/** The page's first request may come before it subscribed to events; give it a moment. */
const PAGE_SETTLE_MS = 300;

// Tests and portable setups point the app at their own data folder.
if (process.env.SKEIN_USER_DATA) app.setPath('userData', process.env.SKEIN_USER_DATA);
app.setAppUserModelId('app.skein.desktop');
registerAppScheme();

const pendingUrls = urlsFromArgv(process.argv);
if (!app.requestSingleInstanceLock({ urls: pendingUrls })) {
  // Another Skein runs: it got our URLs through 'second-instance'.
  app.quit();
} else {
  main();
}

function main(): void {
  const policy = { devServerOrigin: devServerOriginFrom(process.env.ELECTRON_RENDERER_URL, app.isPackaged) };
  const stateFile = new WindowStateFile(join(app.getPath('userData'), 'window-state.json'));
  const appWindows = new Set<WebContents>();
  let mainWindow: BrowserWindow | null = null;
  let service: AppService | null = null;
  let desktop: DesktopIntegration | null = null;
  let quitting: 'no' | 'in-progress' | 'done' = 'no';

  lockDownWebContents(policy);

  const showWindow = (): void => {
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
      return;
    }
    void openWindow();
  };

  let opening: Promise<void> | null = null;
  function openWindow(): Promise<void> {
    opening ??= createMainWindow({
      preloadPath: paths.preload,
      stateFile,
      devServerUrl: policy.devServerOrigin ? (process.env.ELECTRON_RENDERER_URL ?? null) : null,
      beforeLoad: (window) => {
        mainWindow = window;
        const contents = window.webContents;
        appWindows.add(contents);
        contents.once('destroyed', () => appWindows.delete(contents));
        window.on('closed', () => {
          if (mainWindow === window) mainWindow = null;
        });
      },
    })
      .then(() => undefined)
      .catch((error: unknown) => console.error('skein: the window could not load', error))
      .finally(() => {
        opening = null;
      });
    return opening;
  }

  const announce = (urls: string[]): void => {
    if (urls.length === 0) return;
    showWindow();
    service?.announceUrls(urls);
  };

  app.on('second-instance', (_event, argv, _cwd, additionalData) => {
    const handed = (additionalData as { urls?: unknown } | null)?.urls;
    announce(Array.isArray(handed) ? handed.filter((url): url is string => typeof url === 'string') : urlsFromArgv(argv));
    showWindow();
  });
  // macOS: links dropped on the dock icon or opened with Skein.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (service && mainWindow) announce([url]);
    else pendingUrls.push(url);
  });

  app.whenReady().then(async () => {
    process.env[STATE_DIR_ENV] ??= app.getPath('userData');
    denyAllPermissions(session.defaultSession);
    serveAppScheme(session.defaultSession, paths.renderer);

    setup({ module: paths.engineModule, spawn: () => spawnUtilityReactor(paths.reactorEntry, { execArgv: [...TRANSFER_PROCESS_FLAGS] }) });
    service = createAppService({ host: 'electron', platform: electronPlatform(), version: app.getVersion() });
    service.start();
    const readyService = service;
    registerBridgeIpc({
      service,
      policy,
      isAppWindow: (contents) => appWindows.has(contents),
      // URLs from the launch wait for a page that listens; its first request says it does.
      onPageReady: () => setTimeout(() => readyService.announceUrls(pendingUrls.splice(0)), PAGE_SETTLE_MS),
    });
    installApplicationMenu(service, { showWindow });
    desktop = new DesktopIntegration({ service, showWindow });
    desktop.start();

    await openWindow();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) void openWindow();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay in the dock; elsewhere Skein stays in the tray while it downloads.
    if (process.platform === 'darwin' || desktop?.hasActiveDownloads()) return;
    app.quit();
  });

  app.on('before-quit', (event) => {
    if (quitting === 'done') return;
    event.preventDefault();
    if (quitting === 'in-progress') return;
    quitting = 'in-progress';
    void quitGracefully().finally(() => {
      quitting = 'done';
      app.quit();
    });
  });

  /** The engine pauses and persists its downloads (its stop hook), then the reactor ends. */
  async function quitGracefully(): Promise<void> {
    desktop?.dispose();
    service?.stop();
    await Promise.race([shutdown().catch((error: unknown) => console.error('skein: reactor shutdown failed', error)), delay(QUIT_GRACE_MS)]);
    await stateFile.flush().catch(() => undefined);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
