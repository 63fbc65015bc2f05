// Where the Electron binary is, if anywhere. The npm package installs without it
// on machines that cannot reach its download; everything that needs the binary
// asks here first and explains itself when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const executableNames = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

/** @returns {{ path: string } | { missing: string }} */
export function findElectronBinary() {
  const executable = executableNames[process.platform] ?? 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, executable);
    if (existsSync(candidate)) return { path: candidate };
    return { missing: `ELECTRON_OVERRIDE_DIST_PATH is set to ${override}, but ${candidate} does not exist` };
  }
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : executable;
  const candidate = join(packageDir, 'dist', relative);
  if (existsSync(candidate)) return { path: candidate };
  return {
    missing: `no Electron binary at ${candidate} (its download is not reachable from this machine); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45`,
  };
}
