import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The built app (out/, from `npm run build`), not the sources: the bundles must
 * find each other (reactor.js, engine.js, the preload, the renderer) and work
 * without node_modules. Electron itself is the fake; the reactor is a real process.
 */
const root = resolve(import.meta.dirname, '..', '..');
// SKEIN_BUILT_OUT points at a build elsewhere (a build made without touching the checkout's out/).
const out = process.env.SKEIN_BUILT_OUT ?? join(root, 'out');
const outMain = join(out, 'main', 'index.js');
const built = ['index.js', 'reactor.js', 'engine.js'].every((name) => existsSync(join(out, 'main', name)));
if (!built) console.log(`skein: skipping the built-bundle test: ${out}/main is not built (run \`npm run build\`)`);

describe.skipIf(!built)('the built main process', () => {
  it('starts, downloads through IPC, serves the page and quits cleanly', () => {
    const run = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', join(import.meta.dirname, 'testing', 'bundle-driver.ts'), outMain], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_PATH: '' },
    });
    const line = run.stdout.split('\n').find((text) => text.startsWith('RESULT '));
    expect(line, `driver output:\n${run.stdout}\n${run.stderr}`).toBeDefined();
    const result = JSON.parse(line!.slice('RESULT '.length));
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ state: 'completed', bytesMatch: true, pageStatus: 200, quit: true });
    expect(existsSync(result.preload)).toBe(true);
  });
});
