/**
 * Just enough of Electron's main-process API, in plain Node, to start Skein's
 * main process in a test where no Electron binary exists. The utility process
 * is a real Node child process running the real reactor entry; windows,
 * trays and menus only record what was asked of them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

type Handler = (...args: any[]) => any;

export const recorded = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, Handler>(),
  ipcHandlers: new Map<string, Handler>(),
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  menus: 0,
  trays: [] as FakeTray[],
  utilityProcesses: [] as ChildProcess[],
  quitCalls: 0,
  progress: [] as number[],
  powerBlockers: new Set<number>(),
  notifications: [] as FakeNotification[],
  opened: [] as string[],
};

class FakeApp extends EventEmitter {
  readonly name = 'Skein';
  readonly isPackaged = false;
  #paths = new Map<string, string>([['userData', '/tmp/skein-fake-user-data']]);
  #ready = false;
  setPath(name: string, value: string) { this.#paths.set(name, value); }
  getPath(name: string) { return this.#paths.get(name) ?? `/tmp/fake-${name}`; }
  getVersion() { return '0.1.0-test'; }
  setAppUserModelId() {}
  requestSingleInstanceLock() { return true; }
  quit() {
    recorded.quitCalls++;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
  }
  isReady() { return this.#ready; }
  whenReady() {
    this.#ready = true;
    return Promise.resolve();
  }
  getLoginItemSettings() { return { openAtLogin: false }; }
  setLoginItemSettings() {}
  getAppMetrics() {
    return recorded.utilityProcesses.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => ({ type: 'Utility', serviceName: 'Skein Reactor', pid: c.pid }));
  }
}
export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => void recorded.privilegedSchemes.push(...schemes),
};

export const session = {
  defaultSession: {
    protocol: { handle: (scheme: string, handler: Handler) => void recorded.protocolHandlers.set(scheme, handler) },
    setPermissionRequestHandler: (handler: Handler) => void (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => void (recorded.permissionCheckHandler = handler),
    setDevicePermissionHandler: () => {},
    setDisplayMediaRequestHandler: () => {},
  },
};

let nextContentsId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: Array<[string, unknown]> = [];
  readonly mainFrame = { processId: 1, routingId: this.id, url: '' };
  windowOpenHandler: Handler | null = null;
  #destroyed = false;
  send(channel: string, payload: unknown) { this.sent.push([channel, payload]); }
  isDestroyed() { return this.#destroyed; }
  setWindowOpenHandler(handler: Handler) { this.windowOpenHandler = handler; }
  destroy() {
    this.#destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static #all: BrowserWindow[] = [];
  static getAllWindows() { return BrowserWindow.#all.filter((w) => !w.isDestroyed()); }
  static fromWebContents(contents: unknown) { return BrowserWindow.#all.find((w) => w.webContents === contents) ?? null; }
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, any>;
  loadedUrl: string | null = null;
  #destroyed = false;
  constructor(options: Record<string, any>) {
    super();
    this.options = options;
    BrowserWindow.#all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    this.emit('ready-to-show');
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {}
  isMinimized() { return false; }
  isMaximized() { return false; }
  isFullScreen() { return false; }
  isDestroyed() { return this.#destroyed; }
  getNormalBounds() { return { x: 10, y: 10, width: 1100, height: 720 }; }
  setProgressBar(value: number) { recorded.progress.push(value); }
  close() {
    this.emit('close', { preventDefault() {} });
    this.#destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

export const ipcMain = {
  handle: (channel: string, handler: Handler) => void recorded.ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => void recorded.ipcHandlers.delete(channel),
};

/** A utility process stand-in: a Node child running the same entry over process.send. */
export const utilityProcess = {
  fork(modulePath: string, _args: string[], _options: unknown) {
    const child = fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: ['--disable-warning=ExperimentalWarning'] });
    recorded.utilityProcesses.push(child);
    const utility = new EventEmitter() as EventEmitter & Record<string, unknown>;
    utility.stdout = child.stdout;
    utility.stderr = child.stderr;
    utility.postMessage = (message: unknown) => child.connected && child.send(message as never);
    utility.kill = () => child.kill('SIGKILL');
    child.on('message', (message) => utility.emit('message', message));
    child.on('exit', (code, signal) => utility.emit('exit', code ?? (signal === 'SIGKILL' ? 9 : 1)));
    return utility;
  },
};

export class FakeTray extends EventEmitter {
  tooltip = '';
  menu: unknown = null;
  constructor(_image: unknown) {
    super();
    recorded.trays.push(this);
  }
  setToolTip(text: string) { this.tooltip = text; }
  setTitle() {}
  setContextMenu(menu: unknown) { this.menu = menu; }
  destroy() {}
}
export { FakeTray as Tray };

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ items: template }),
  setApplicationMenu: () => void recorded.menus++,
};

export const nativeImage = { createEmpty: () => ({ addRepresentation() {}, setTemplateImage() {} }), createFromBuffer: (buffer: Buffer) => ({ buffer }) };

export class FakeNotification extends EventEmitter {
  static isSupported() { return true; }
  readonly options: { title: string; body: string };
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }
  show() { recorded.notifications.push(this); }
}
export { FakeNotification as Notification };

let nextBlocker = 1;
export const powerSaveBlocker = {
  start: () => {
    const id = nextBlocker++;
    recorded.powerBlockers.add(id);
    return id;
  },
  stop: (id: number) => void recorded.powerBlockers.delete(id),
  isStarted: (id: number) => recorded.powerBlockers.has(id),
};

export const shell = {
  openPath: async (path: string) => {
    recorded.opened.push(path);
    return '';
  },
  showItemInFolder: () => {},
  openExternal: async () => {},
};
export const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) };
export const webContents = { fromId: () => undefined };
