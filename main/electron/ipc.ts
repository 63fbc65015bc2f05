/**
 * The IPC adapter: one invoke channel for every request, checked for its sender
 * before the service sees it, and one event channel fanned out to app windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, type Reply } from '../../shared/contract/bridge.ts';
import { assertTrustedSender, type SenderPolicy } from '../app/sender-policy.ts';
import { toWire, type AppService } from '../app/service.ts';
import { clientIdOf } from './platform.ts';

export interface BridgeIpcOptions {
  service: AppService;
  policy: SenderPolicy;
  /** The app's own windows; requests from any other web contents are refused. */
  isAppWindow(contents: WebContents): boolean;
  /** The page in `contents` made its first request since it loaded: it is up and listening. */
  onPageReady?(contents: WebContents): void;
}

/** Registers the request handler and the event fan-out; returns the disposer. */
export function registerBridgeIpc(options: BridgeIpcOptions): () => void {
  const { service, policy } = options;
  const tracked = new Set<WebContents>();
  const ready = new Set<WebContents>();

  const releaseOnReload = (contents: WebContents): void => {
    if (tracked.has(contents)) return;
    tracked.add(contents);
    const client = clientIdOf(contents);
    // A new document in the top frame (reload, navigation) drops the old page's handles.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) {
        service.releaseClient(client);
        ready.delete(contents);
      }
    });
    contents.on('render-process-gone', () => service.releaseClient(client));
    contents.once('destroyed', () => {
      tracked.delete(contents);
      ready.delete(contents);
      service.releaseClient(client);
    });
  };

  ipcMain.handle(CHANNELS.request, async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Reply> => {
    try {
      const frame = event.senderFrame;
      assertTrustedSender(
        {
          frameUrl: frame?.url ?? null,
          isMainFrame: frame !== null && isSameFrame(frame, event.sender.mainFrame),
          isAppWindow: options.isAppWindow(event.sender),
        },
        policy,
      );
    } catch (error) {
      return { ok: false, error: toWire(error) };
    }
    releaseOnReload(event.sender);
    if (!ready.has(event.sender)) {
      ready.add(event.sender);
      options.onPageReady?.(event.sender);
    }
    return service.handle(clientIdOf(event.sender), name, input);
  });

  const stopEvents = service.onEvent((bridgeEvent) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      if (!contents.isDestroyed() && options.isAppWindow(contents)) contents.send(CHANNELS.event, bridgeEvent);
    }
  });

  return () => {
    ipcMain.removeHandler(CHANNELS.request);
    stopEvents();
  };
}

function isSameFrame(a: Electron.WebFrameMain, b: Electron.WebFrameMain): boolean {
  return a.processId === b.processId && a.routingId === b.routingId;
}
