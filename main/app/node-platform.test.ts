import { describe, expect, it } from 'vitest';
import { nodeDesktopPlatform } from './node-platform.ts';

function recorder(fail = false) {
  const launched: Array<[string, string[]]> = [];
  const launch = async (command: string, args: string[]) => {
    if (fail) throw new Error('ENOENT');
    launched.push([command, args]);
  };
  return { launched, launch };
}

describe('desktop actions without Electron', () => {
  it.each([
    ['darwin', ['open', ['/d/f.iso']], ['open', ['-R', '/d/f.iso']]],
    ['linux', ['xdg-open', ['/d/f.iso']], ['xdg-open', ['/d']]],
    ['win32', ['explorer.exe', ['/d/f.iso']], ['explorer.exe', ['/select,/d/f.iso']]],
  ] as const)('on %s uses the system opener as argv, never a shell', async (platform, open, reveal) => {
    const { launched, launch } = recorder();
    const desktop = nodeDesktopPlatform({ platform, launch });
    await desktop.openPath('/d/f.iso');
    desktop.showItemInFolder('/d/f.iso');
    await desktop.openExternal('https://x.test/?a=1&b=2');
    expect(launched).toEqual([open, reveal, [open[0], ['https://x.test/?a=1&b=2']]]);
  });

  it('a missing opener becomes a DesktopActionError', async () => {
    const { launch } = recorder(true);
    await expect(nodeDesktopPlatform({ platform: 'linux', launch }).openPath('/d/f')).rejects.toMatchObject({ code: 'ERR_BRIDGE_DESKTOP_ACTION' });
  });
});
