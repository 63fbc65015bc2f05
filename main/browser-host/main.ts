/**
 * `npm run serve`: Skein without a desktop. Runs the engine's reactor and the
 * app service exactly as the Electron app does, and serves the same window to
 * a browser on 127.0.0.1 with a one-time token.
 *
 *   npm run serve -- [--port 7878] [--state-dir DIR] [--renderer DIR]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { headlessPlatform } from '../app/platform.ts';
import { createAppService } from '../app/service.ts';
import { STATE_DIR_ENV, stateDirectory } from '../engine/app-paths.ts';
import { setup, shutdown } from '../reactor/index.ts';
import { startBrowserHost } from './server.ts';
import { TRANSFER_PROCESS_FLAGS } from '../engine/transfer/process-flags.ts';

export const DEFAULT_PORT = 7878;
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ENGINE_MODULE = fileURLToPath(new URL('../engine/reactor-module.ts', import.meta.url));

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'state-dir': { type: 'string' },
    renderer: { type: 'string', default: resolve(root, 'out/renderer') },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log('usage: npm run serve -- [--port N (0 = any free port; default 7878)] [--state-dir DIR] [--renderer DIR]');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`skein: --port must be a whole number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
const rendererDir = resolve(values.renderer);
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error(`skein: no built window in ${rendererDir}. Build it first with: npm run build`);
  process.exit(1);
}

const stateDir = values['state-dir'] ? resolve(values['state-dir']) : stateDirectory();
process.env[STATE_DIR_ENV] = stateDir;
const version = (JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;

setup({ module: ENGINE_MODULE, env: { ...process.env, [STATE_DIR_ENV]: stateDir }, execArgv: [...TRANSFER_PROCESS_FLAGS] });
const service = createAppService({ host: 'browser', platform: headlessPlatform, version });
service.start();

let host;
try {
  host = await startBrowserHost({ service, rendererDir, port });
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(code === 'EADDRINUSE' ? `skein: port ${port} is in use; pick another with --port (0 for any free one)` : `skein: could not start: ${String(error)}`);
  service.stop();
  await shutdown();
  process.exit(1);
}

// The one line tests and people look for; the token makes it the only way in.
console.log(`Skein is running at ${host.url}`);
console.log(`State: ${stateDir}. Press Ctrl+C to stop; downloads resume next time.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`skein: ${signal}: stopping…`);
  await host.close();
  service.stop();
  await shutdown().catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
