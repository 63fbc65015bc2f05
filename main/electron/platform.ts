/** The desktop actions behind openFile, showInFolder, openExternal and chooseDirectory. */
import { BrowserWindow, dialog, shell, webContents } from 'electron';
import { DesktopActionError } from '../../shared/contract/errors.ts';
import type { PlatformServices } from '../app/platform.ts';
import type { ClientId } from '../app/result-registry.ts';

/** Client ids of windows are `wc-<webContents id>`. */
export function clientIdOf(contents: Electron.WebContents): ClientId {
  return `wc-${contents.id}`;
}

function windowOfClient(client: ClientId): BrowserWindow | null {
  const id = Number(client.replace(/^wc-/, ''));
  const contents = Number.isSafeInteger(id) ? webContents.fromId(id) : undefined;
  return contents ? BrowserWindow.fromWebContents(contents) : null;
}

export function electronPlatform(): PlatformServices {
  return {
    async openPath(path) {
      // shell.openPath resolves with an error message, or '' on success.
      const failure = await shell.openPath(path);
      if (failure) throw new DesktopActionError(failure, { details: { path } });
    },
    showItemInFolder(path) {
      shell.showItemInFolder(path);
    },
    async openExternal(url) {
      try {
        await shell.openExternal(url, { activate: true });
      } catch (error) {
        throw new DesktopActionError('No browser could open the link', { cause: error });
      }
    },
    async chooseDirectory(client) {
      const window = windowOfClient(client);
      const options: Electron.OpenDialogOptions = {
        title: 'Choose the download folder',
        buttonLabel: 'Choose',
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
