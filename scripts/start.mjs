// npm start: build and run the desktop app, or say plainly why it cannot start here.
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

const electron = findElectronBinary();
if ('missing' in electron) {
  console.error(`skein: cannot start the desktop app: ${electron.missing}.`);
  console.error('skein: run Skein in a browser instead with `npm run serve` (see README, "Running without a desktop").');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
