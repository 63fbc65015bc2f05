/** The application menu: the platform's usual roles plus Skein's own commands. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppService } from '../app/service.ts';

export function installApplicationMenu(service: AppService, options: { showWindow(): void }): void {
  const isMac = process.platform === 'darwin';
  const command = (name: 'open-settings' | 'add-download' | 'focus-search') => () => {
    options.showWindow();
    service.sendCommand(name);
  };
  const request = (name: 'pauseAll' | 'resumeAll') => () => void service.handle('main-menu', name, {});
  const settingsItem: MenuItemConstructorOptions = { label: isMac ? 'Settings…' : 'Preferences…', accelerator: 'CmdOrCtrl+,', click: command('open-settings') };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [{
          label: app.name,
          submenu: [
            { role: 'about' }, { type: 'separator' }, settingsItem, { type: 'separator' }, { role: 'services' }, { type: 'separator' },
            { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' },
          ],
        } satisfies MenuItemConstructorOptions]
      : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Download…', accelerator: 'CmdOrCtrl+N', click: command('add-download') },
        ...(isMac ? [] : [settingsItem]),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' },
        { role: 'pasteAndMatchStyle' }, { role: 'delete' }, { role: 'selectAll' }, { type: 'separator' },
        { label: 'Find', accelerator: 'CmdOrCtrl+F', click: command('focus-search') },
      ],
    },
    {
      label: '&Downloads',
      submenu: [
        { label: 'Pause All', accelerator: 'CmdOrCtrl+Shift+P', click: request('pauseAll') },
        { label: 'Resume All', accelerator: 'CmdOrCtrl+Shift+R', click: request('resumeAll') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' }, { role: 'forceReload' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]), { type: 'separator' },
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    ...(isMac ? [] : [{ label: '&Help', submenu: [{ role: 'about' }] } satisfies MenuItemConstructorOptions]),
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
