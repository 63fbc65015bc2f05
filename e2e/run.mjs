#!/usr/bin/env node
// End-to-end tests in Chromium: builds the window if its sources changed, starts
// the project's fault server and the browser host (as `npm run serve`, on port 0),
// runs each flow in a fresh page, saves screenshots to e2e-artifacts/, and exits
// non-zero when any flow fails. Run with Node >= 22.18 (`npm run test:e2e`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const only = process.argv.slice(2).join(' ');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureRendererBuilt() {
  const page = join(root, 'out/renderer/index.html');
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared')));
  if (existsSync(page) && statSync(page).mtimeMs >= sources) return;
  console.log('e2e: building the window (out/renderer)…');
  const built = spawnSync(process.execPath, [join(root, 'e2e/browser/build-renderer.mjs')], { cwd: root, stdio: 'inherit', env: { ...process.env, SKEIN_QUIET_BUILD: '1' } });
  if (built.status !== 0) {
    console.error('e2e: the renderer did not build');
    process.exit(1);
  }
}

function ensureChromium() {
  const chromium = process.env.SKEIN_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  // The project installs what it needs: Debian's Chromium, never a browser download.
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('e2e: installing Debian’s chromium package…');
    spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(chromium)) {
      spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
      spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
  if (!existsSync(chromium)) {
    console.error(`e2e: no Chromium at ${chromium}; install it with: apt-get install -y chromium`);
    process.exit(1);
  }
}

ensureRendererBuilt();
ensureChromium();

const { startHarness } = await import('./browser/harness.ts');
const { flows } = await import('./browser/flows.ts');
const { emptyWindowShots, mainViewShots, disconnectedShots, ARTIFACTS } = await import('./browser/screenshots.ts');

// The empty window first, while the list is still empty; the busy views next; stopping the host last.
const [tokenFlow, ...rest] = flows;
const all = [tokenFlow, emptyWindowShots, ...rest, mainViewShots, disconnectedShots].filter((flow) => !only || flow.name.includes(only));
const FLOW_TIMEOUT_MS = 120_000;

const harness = await startHarness();
let passed = 0;
let failed = 0;
try {
  // A fixed, modest setup so timings are the same on every machine.
  await harness.call('updateSettings', { patch: { downloadDirectory: harness.downloadDir, connectionsPerDownload: 4, maxConcurrentDownloads: 6 } });
  for (const flow of all) {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The window must live within its strict Content-Security-Policy: any refusal is a failure.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
    });
    const started = Date.now();
    try {
      let timer;
      await Promise.race([
        flow.run(harness, page),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${FLOW_TIMEOUT_MS} ms`)), FLOW_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (pageErrors.length > 0) throw new Error(`the page threw: ${pageErrors.join('; ')}`);
      passed += 1;
      console.log(`  ✓ ${flow.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed += 1;
      console.log(`  ✗ ${flow.name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `failure-${flow.name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => undefined);
    } finally {
      await context.close();
    }
  }
} finally {
  await harness.stop();
}

console.log(`\nScreenshots: ${ARTIFACTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
