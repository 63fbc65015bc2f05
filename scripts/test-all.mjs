// The whole test suite, in the order that fails fastest: types, lint, unit and
// integration tests (Vitest), then the browser end-to-end tests (Playwright in Chromium).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['type check', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.node.json']],
  ['type check (preload)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.preload.json']],
  ['type check (renderer)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.web.json']],
  ['lint', ['node_modules/eslint/bin/eslint.js', '.']],
  // The app's bundles (main, reactor, engine, preload, renderer); tests below run the built ones too.
  ['build', ['node_modules/electron-vite/bin/electron-vite.js', 'build']],
  ['unit and integration tests', ['node_modules/vitest/vitest.mjs', 'run']],
];
if (existsSync('e2e/run.mjs')) steps.push(['end-to-end tests in Chromium (browser host)', ['e2e/run.mjs']]);
// Skips, saying why, where no Electron binary can be had.
steps.push(['end-to-end tests in Electron', ['node_modules/vitest/vitest.mjs', 'run', '--config', 'e2e/electron/vitest.config.ts']]);

for (const [label, argv] of steps) {
  console.log(`\n== ${label}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\nskein: ${label} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
    process.exit(1);
  }
  console.log(`== ${label}: passed in ${seconds} s`);
}
