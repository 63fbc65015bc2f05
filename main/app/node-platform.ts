import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { DesktopActionError } from '../../shared/contract/errors.ts';
import type { PlatformServices } from './platform.ts';

/** Runs one program with arguments (never through a shell); resolves when it started. */
export type Launcher = (command: string, args: string[]) => Promise<void>;

const detachedLauncher: Launcher = (command, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });

/** The system's own opener for a file or URL, as argv (no shell, so no quoting pitfalls). */
export function openerCommand(target: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  // explorer.exe opens files with their default application and URLs in the default browser.
  if (platform === 'win32') return ['explorer.exe', [target]];
  return ['xdg-open', [target]];
}

/** Reveals a file in the file manager; Linux has no standard "select", so its folder opens. */
export function revealCommand(path: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', ['-R', path]];
  if (platform === 'win32') return ['explorer.exe', [`/select,${path}`]];
  return ['xdg-open', [dirname(path)]];
}

/**
 * Desktop actions without Electron, for the browser host on the user's own
 * machine: the OS opener programs. Arguments were checked by the service
 * (downloaded files only, http(s) URLs only) before they reach here.
 */
export function nodeDesktopPlatform(options: { platform?: NodeJS.Platform; launch?: Launcher } = {}): PlatformServices {
  const platform = options.platform ?? process.platform;
  const launch = options.launch ?? detachedLauncher;
  const run = async (command: [string, string[]], what: string): Promise<void> => {
    try {
      await launch(...command);
    } catch (error) {
      throw new DesktopActionError(`Could not ${what}: ${command[0]} is not available`, { cause: error });
    }
  };
  return {
    openPath: (path) => run(openerCommand(path, platform), 'open the file'),
    showItemInFolder: (path) => void run(revealCommand(path, platform), 'show the file').catch(() => undefined),
    openExternal: (url) => run(openerCommand(url, platform), 'open the link'),
  };
}
