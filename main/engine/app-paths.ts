import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

/**
 * Where Skein keeps its state and where downloads go by default. One rule for the
 * desktop app, the reactor process and the CLI, so they all find the same store.
 * It mirrors Electron's `app.getPath('userData')` for a product named Skein.
 */

export const PRODUCT_NAME = 'Skein';

/** The host sets this so the reactor process opens the same store as the app or CLI. */
export const STATE_DIR_ENV = 'SKEIN_STATE_DIR';

export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

function currentPlatform(): PlatformFacts {
  return { platform: process.platform, env: process.env, home: homedir() };
}

/** The per-user application data folder: `~/.config/Skein`, `~/Library/Application Support/Skein`, `%APPDATA%\Skein`. */
export function userDataDirectory(facts: PlatformFacts = currentPlatform()): string {
  const { platform, env, home } = facts;
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}

/**
 * The per-user cache folder: `~/.cache/Skein` (`XDG_CACHE_HOME`), `~/Library/Caches/Skein`,
 * `%LOCALAPPDATA%\Skein\Cache`. What is here can be deleted at any time and rebuilt.
 */
export function userCacheDirectory(facts: PlatformFacts = currentPlatform()): string {
  const { platform, env, home } = facts;
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), PRODUCT_NAME, 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', PRODUCT_NAME);
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), PRODUCT_NAME);
}

/** The engine's state folder: `SKEIN_STATE_DIR` when the host set it, else the user data folder. */
export function stateDirectory(facts: PlatformFacts = currentPlatform()): string {
  const fromHost = facts.env[STATE_DIR_ENV];
  return fromHost ? fromHost : userDataDirectory(facts);
}

/** The per-user download folder (`XDG_DOWNLOAD_DIR` on Linux when set), the default destination. */
export function defaultDownloadDirectory(facts: PlatformFacts = currentPlatform()): string {
  const { platform, env, home } = facts;
  if (platform === 'win32') return win32.join(env.USERPROFILE || home, 'Downloads');
  if (platform === 'linux' && env.XDG_DOWNLOAD_DIR) return env.XDG_DOWNLOAD_DIR;
  return join(home, 'Downloads');
}

/** The SQLite file inside a state folder. */
export function storePath(stateDir: string): string {
  return join(stateDir, 'skein.sqlite');
}
