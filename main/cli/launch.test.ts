import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userCacheDirectory, userDataDirectory } from '../engine/app-paths.ts';
import { TRANSFER_PROCESS_FLAGS } from '../engine/transfer/process-flags.ts';
import { parseArgs, type GetCommand } from './args.ts';

const LAUNCHER = fileURLToPath(new URL('./launch.mjs', import.meta.url));

interface Launcher {
  compileCacheDirectory(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string;
  userDataDirectory(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string;
  stateOption(args: string[], cwd: string): string | null;
  REACTOR_FLAGS: string[];
}

describe('the skein launcher (npm run cli)', () => {
  it('puts the compile cache in the per-user cache folder, as app-paths names it', async () => {
    const launcher = (await import(LAUNCHER as string)) as Launcher;
    const cases: Array<[NodeJS.Platform, NodeJS.ProcessEnv, string]> = [
      ['linux', {}, '/home/u'],
      ['linux', { XDG_CACHE_HOME: '/c' }, '/home/u'],
      ['darwin', {}, '/Users/u'],
      ['win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u'],
    ];
    for (const [platform, env, home] of cases) {
      const expected = userCacheDirectory({ platform, env, home });
      expect(launcher.compileCacheDirectory(platform, env, home)).toBe(platform === 'win32' ? `${expected}\\compile-cache` : `${expected}/compile-cache`);
    }
  });

  it('starts the reactor early with the folder and flags the TypeScript would use', async () => {
    const launcher = (await import(LAUNCHER as string)) as Launcher;
    const cases: Array<[NodeJS.Platform, NodeJS.ProcessEnv, string]> = [
      ['linux', {}, '/home/u'],
      ['linux', { XDG_CONFIG_HOME: '/c' }, '/home/u'],
      ['darwin', {}, '/Users/u'],
      ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'],
    ];
    for (const [platform, env, home] of cases) expect(launcher.userDataDirectory(platform, env, home)).toBe(userDataDirectory({ platform, env, home }));
    for (const args of [
      ['https://x/a', '--state', 'st'],
      ['https://x/a', '--state=st', '--dir', 'out'],
      ['--dir', '--state', 'https://x/a'],
      ['https://x/a', '--header', 'X: --state', '--quiet'],
      ['https://x/a'],
    ]) {
      const parsed = parseArgs(['get', ...args], '/work') as GetCommand;
      expect(launcher.stateOption(args, '/work')).toBe(parsed.stateDir);
    }
    expect([...launcher.REACTOR_FLAGS].sort()).toEqual(['--disable-warning=ExperimentalWarning', ...TRANSFER_PROCESS_FLAGS].sort());
  });

  it('runs the CLI in its own process, with the compile cache on', () => {
    const cache = mkdtempSync(join(tmpdir(), 'skein-cache-'));
    try {
      const run = spawnSync(process.execPath, [LAUNCHER, 'help'], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: cache } });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('usage: skein get <url>...');
      expect(run.stderr).toBe('');
      expect(readdirSync(cache).length).toBeGreaterThan(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('exits 2 with the usage text for a bad command', () => {
    const run = spawnSync(process.execPath, [LAUNCHER, 'fetch'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('skein: unknown command "fetch"');
  });
});
