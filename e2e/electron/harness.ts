/**
 * Launching the built app under Playwright's Electron driver, with its own data
 * folder, plus the binary detection that lets these tests skip where no
 * Electron binary exists (this machine) with a printed reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');

const executableInDist: Record<string, string> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
  linux: 'electron',
};

/** The Electron executable to test with, or why there is none. */
export function findElectron(): { executable: string } | { missing: string } {
  const relative = executableInDist[process.platform] ?? 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = join(override, relative);
    return existsSync(executable) ? { executable } : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set but ${executable} does not exist` };
  }
  const dist = join(repoRoot, 'node_modules', 'electron', 'dist');
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  const executable = existsSync(pathFile) ? join(dist, readFileSync(pathFile, 'utf8').trim()) : join(dist, relative);
  return existsSync(executable)
    ? { executable }
    : { missing: `no Electron binary at ${executable} (install it with the electron package's install script, or set ELECTRON_OVERRIDE_DIST_PATH)` };
}

/** Why the Electron tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  const electron = findElectron();
  if ('missing' in electron) return electron.missing;
  if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) return 'the app is not built: run `npm run build` first';
  return null;
}

export async function freshDataFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'skein-e2e-'));
}

export interface RunningApp {
  app: ElectronApplication;
  page: Page;
}

/** Starts Skein from out/ with `dataFolder` as its user data and engine state folder. */
export async function launchSkein(dataFolder: string): Promise<RunningApp> {
  const electron = findElectron();
  if ('missing' in electron) throw new Error(electron.missing);
  const app = await _electron.launch({
    executablePath: electron.executable,
    args: [repoRoot],
    cwd: repoRoot,
    env: { ...process.env, SKEIN_USER_DATA: dataFolder, SKEIN_STATE_DIR: dataFolder, ELECTRON_RENDERER_URL: '' } as Record<string, string>,
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  await page.waitForFunction(() => typeof (globalThis as { skein?: unknown }).skein === 'object');
  return { app, page };
}

/** Waits on a stash uid from inside the page, 30 s per wait as the bridge allows, until it settles. */
export function waitForResultInPage(page: Page, uid: number, retrieve = true): Promise<{ state: string; filePath: string }> {
  return page.evaluate(
    async ({ uid, retrieve }) => {
      const skein = (globalThis as unknown as { skein: import('../../shared/contract/bridge.ts').SkeinBridge }).skein;
      const handle = retrieve ? skein.retrieveResult<{ state: string; filePath: string }>(uid) : null;
      for (;;) {
        try {
          return await handle!.wait(30_000);
        } catch (error) {
          if ((error as { code?: string }).code !== 'ERR_REACTOR_TIMEOUT') throw error;
        }
      }
    },
    { uid, retrieve },
  );
}

/** The reactor's utility process, found by its service name. */
export async function reactorPid(app: ElectronApplication): Promise<number | null> {
  return app.evaluate(({ app: electronApp }) => {
    // The fork's serviceName shows up as the process name (serviceName holds Chromium's service id).
    const metric = electronApp.getAppMetrics().find((m) => m.type === 'Utility' && (m.name === 'Skein Reactor' || m.serviceName === 'Skein Reactor'));
    return metric?.pid ?? null;
  });
}
