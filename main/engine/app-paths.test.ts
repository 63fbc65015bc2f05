import { describe, expect, it } from 'vitest';
import { defaultDownloadDirectory, stateDirectory, userCacheDirectory, userDataDirectory } from './app-paths.ts';

describe('app paths', () => {
  it('uses the same per-user data folder as Electron for a product named Skein', () => {
    expect(userDataDirectory({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.config/Skein');
    expect(userDataDirectory({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/u' })).toBe('/cfg/Skein');
    expect(userDataDirectory({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Skein');
    expect(userDataDirectory({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Skein',
    );
  });

  it('lets the host choose the state folder through SKEIN_STATE_DIR', () => {
    expect(stateDirectory({ platform: 'linux', env: { SKEIN_STATE_DIR: '/tmp/state' }, home: '/home/u' })).toBe('/tmp/state');
    expect(stateDirectory({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.config/Skein');
  });

  it('keeps rebuildable caches in the per-user cache folder', () => {
    expect(userCacheDirectory({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.cache/Skein');
    expect(userCacheDirectory({ platform: 'linux', env: { XDG_CACHE_HOME: '/c' }, home: '/home/u' })).toBe('/c/Skein');
    expect(userCacheDirectory({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Caches/Skein');
    expect(userCacheDirectory({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Local\\Skein\\Cache',
    );
  });

  it('downloads into the per-user Downloads folder', () => {
    expect(defaultDownloadDirectory({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/Downloads');
    expect(defaultDownloadDirectory({ platform: 'linux', env: { XDG_DOWNLOAD_DIR: '/data/dl' }, home: '/home/u' })).toBe('/data/dl');
  });
});
