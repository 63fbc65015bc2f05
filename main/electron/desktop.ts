/**
 * Desktop integration driven by the service's events: tray with overall progress
 * and pause/resume all, dock/taskbar progress, notifications on completion and
 * failure, a power-save blocker while downloads run, and "open at login".
 */
import { app, BrowserWindow, Menu, nativeImage, Notification, powerSaveBlocker, Tray } from 'electron';
import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import type { DownloadSnapshot, Settings } from '../../shared/download/types.ts';
import { describeActivity, DownloadActivity, type FinishNotice } from '../app/activity.ts';
import { drawMark, encodePng } from '../app/icon-art.ts';
import type { AppService } from '../app/service.ts';

export interface DesktopOptions {
  service: AppService;
  /** Shows (creating if needed) and focuses the main window. */
  showWindow(): void;
}

const MAIN_CLIENT = 'main-desktop';
const REFRESH_MS = 1000;

export class DesktopIntegration {
  readonly #options: DesktopOptions;
  readonly #activity = new DownloadActivity();
  #tray: Tray | null = null;
  #blocker: number | null = null;
  #notificationsOn = true;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #disposeEvents: () => void = () => {};
  /** Notifications kept referenced until dismissed: a collected one loses its click handler. */
  readonly #shown = new Set<Notification>();

  constructor(options: DesktopOptions) {
    this.#options = options;
  }

  start(): void {
    this.#tray = new Tray(trayImage());
    this.#tray.on('click', () => this.#options.showWindow());
    this.#rebuildTrayMenu();
    this.#disposeEvents = this.#options.service.onEvent((event) => this.#onEvent(event));
    void this.#reload();
  }

  /** Active downloads keep the app alive in the tray when its windows close. */
  hasActiveDownloads(): boolean {
    return this.#activity.summary().active > 0;
  }

  dispose(): void {
    this.#disposeEvents();
    clearTimeout(this.#refreshTimer);
    this.#releaseBlocker();
    this.#tray?.destroy();
    this.#tray = null;
    for (const window of BrowserWindow.getAllWindows()) if (!window.isDestroyed()) window.setProgressBar(-1);
  }

  #onEvent(event: BridgeEvent): void {
    if (event.type === 'reactor' && event.state === 'running') void this.#reload();
    if (event.type === 'settings') this.#applySettings(event.settings);
    for (const notice of this.#activity.apply(event)) this.#notify(notice);
    this.#scheduleRefresh();
  }

  /** At start and after a reactor restart: the list and settings from the engine. */
  async #reload(): Promise<void> {
    const list = await this.#options.service.handle(MAIN_CLIENT, 'listDownloads', {});
    if (list.ok) this.#activity.load(list.value as DownloadSnapshot[]);
    const settings = await this.#options.service.handle(MAIN_CLIENT, 'getSettings', {});
    if (settings.ok) this.#applySettings(settings.value as Settings);
    this.#refresh();
  }

  #applySettings(settings: Settings): void {
    this.#notificationsOn = settings.notifications;
    // Linux has no login item API in Electron; macOS and Windows do.
    if (process.platform === 'darwin' || process.platform === 'win32') {
      if (app.getLoginItemSettings().openAtLogin !== settings.openAtLogin) app.setLoginItemSettings({ openAtLogin: settings.openAtLogin });
    }
  }

  #scheduleRefresh(): void {
    this.#refreshTimer ??= setTimeout(() => {
      this.#refreshTimer = undefined;
      this.#refresh();
    }, REFRESH_MS);
  }

  #refresh(): void {
    const summary = this.#activity.summary();
    this.#tray?.setToolTip(describeActivity(summary));
    if (process.platform === 'darwin') this.#tray?.setTitle(summary.fraction !== null && summary.fraction >= 0 ? `${Math.floor(summary.fraction * 100)}%` : '');
    for (const window of BrowserWindow.getAllWindows()) {
      if (window.isDestroyed()) continue;
      if (summary.fraction === null) window.setProgressBar(2, { mode: 'indeterminate' });
      else window.setProgressBar(summary.fraction);
    }
    if (summary.active > 0 && this.#blocker === null) this.#blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (summary.active === 0) this.#releaseBlocker();
  }

  #releaseBlocker(): void {
    if (this.#blocker !== null && powerSaveBlocker.isStarted(this.#blocker)) powerSaveBlocker.stop(this.#blocker);
    this.#blocker = null;
  }

  #notify(notice: FinishNotice): void {
    if (!this.#notificationsOn || !Notification.isSupported()) return;
    const { snapshot } = notice;
    const notification = new Notification({
      title: notice.kind === 'completed' ? 'Download complete' : 'Download failed',
      body: notice.kind === 'completed' ? snapshot.fileName : `${snapshot.fileName}: ${snapshot.error?.message ?? 'it could not be finished'}`,
      silent: notice.kind === 'completed',
    });
    this.#shown.add(notification);
    const forget = (): void => void this.#shown.delete(notification);
    notification.on('close', forget);
    notification.on('click', () => {
      forget();
      // Opening goes through the same path check as the window's openFile.
      if (notice.kind === 'completed') void this.#options.service.handle(MAIN_CLIENT, 'openFile', { id: snapshot.id });
      else this.#options.showWindow();
    });
    notification.show();
  }

  #rebuildTrayMenu(): void {
    const run = (name: 'pauseAll' | 'resumeAll') => () => void this.#options.service.handle(MAIN_CLIENT, name, {});
    // macOS: the same commands on the dock icon's menu.
    app.dock?.setMenu(
      Menu.buildFromTemplate([
        { label: 'Pause All', click: run('pauseAll') },
        { label: 'Resume All', click: run('resumeAll') },
      ]),
    );
    this.#tray?.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Skein', click: () => this.#options.showWindow() },
        { type: 'separator' },
        { label: 'Pause All', click: run('pauseAll') },
        { label: 'Resume All', click: run('resumeAll') },
        { type: 'separator' },
        { label: 'Quit Skein', role: 'quit' },
      ]),
    );
  }
}

/** The tray icon: a template image on macOS (the menu bar tints it), the accent mark elsewhere. */
function trayImage(): Electron.NativeImage {
  const template = process.platform === 'darwin';
  const style = template ? 'tray-template' : 'tray-color';
  const image = nativeImage.createEmpty();
  for (const scale of [1, 2]) {
    const size = 16 * scale;
    image.addRepresentation({ scaleFactor: scale, width: size, height: size, buffer: encodePng(drawMark(size, style), size, size) });
  }
  image.setTemplateImage(template);
  return image;
}
