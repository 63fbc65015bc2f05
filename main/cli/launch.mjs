#!/usr/bin/env node
/**
 * The `skein` command's launcher: `npm run cli` runs it, and so does bench:engine.
 * Plain JavaScript, so that it starts on any Node.
 *
 * On a Node that strips types itself (>= 22.18) the CLI runs in this very process:
 * no second Node, as scripts/with-node24.mjs would start. The compile cache goes on
 * before the first TypeScript module loads: with every module cached, Node never
 * loads its TypeScript stripper (about 30 ms of a .ts entry point's start-up).
 * On an older Node (20 on some machines) with-node24.mjs finds a Node 24 and runs
 * skein.ts under it, which turns the cache on itself (main/cli/compile-cache.ts).
 */
import { fork } from 'node:child_process';
// The default export: Node 20 has neither enableCompileCache nor these constants as named exports.
import nodeModule from 'node:module';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const stripsTypes = major > 22 || (major === 22 && minor >= 18);

/**
 * The compile cache's folder: `compile-cache` in the per-user cache folder.
 * Mirrors userCacheDirectory() in main/engine/app-paths.ts (launch.test.ts checks they agree).
 */
export function compileCacheDirectory(platform = process.platform, env = process.env, home = homedir()) {
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'Skein', 'Cache', 'compile-cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Skein', 'compile-cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'Skein', 'compile-cache');
}

/**
 * The per-user data folder, where the store lives by default. Mirrors
 * userDataDirectory() in main/engine/app-paths.ts (launch.test.ts checks they agree).
 */
export function userDataDirectory(platform = process.platform, env = process.env, home = homedir()) {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'Skein');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Skein');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Skein');
}

/** Options of `get` that take a value (main/cli/args.ts): their values are not options. */
const VALUE_OPTIONS = new Set(['--dir', '--connections', '--max-concurrent', '--limit', '--sha256', '--header', '--state']);

/** The folder `--state` names (resolved against `cwd`), as args.ts reads it; null without one. */
export function stateOption(args, cwd = process.cwd()) {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--') break;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!VALUE_OPTIONS.has(name)) continue;
    const value = equals > 0 ? arg.slice(equals + 1) : args[++index];
    if (name === '--state' && value !== undefined) return resolve(cwd, value);
  }
  return null;
}

/** The reactor's runtime flags. Mirrors TRANSFER_PROCESS_FLAGS (main/engine/transfer/process-flags.ts), see launch.test.ts. */
export const REACTOR_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=1'];

/**
 * Forks the reactor from its bundle before any TypeScript loads: the reactor's
 * start is what a short download waits for, and this is about 8 ms sooner than
 * early-reactor.ts could fork it. What it says before setup() adopts it is kept.
 */
export function startReactorEarly(bundle, args, cwd = process.cwd(), env = process.env) {
  const stateDir = stateOption(args, cwd) ?? (env.SKEIN_STATE_DIR || userDataDirectory(process.platform, env));
  const child = fork(bundle, [], {
    serialization: 'advanced',
    execArgv: REACTOR_FLAGS,
    env: { ...env, SKEIN_STATE_DIR: stateDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const early = { messages: [], error: null, stop: () => {} };
  const keep = (message) => early.messages.push(message);
  const fail = (error) => {
    early.error ??= error;
  };
  child.on('message', keep);
  child.on('error', fail);
  early.stop = () => {
    child.off('message', keep);
    child.off('error', fail);
  };
  return { stateDir, child, early };
}

function enableCache() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE || typeof nodeModule.enableCompileCache !== 'function') return;
  try {
    const result = nodeModule.enableCompileCache(process.env.NODE_COMPILE_CACHE || compileCacheDirectory());
    const { ENABLED, ALREADY_ENABLED } = nodeModule.constants.compileCacheStatus;
    // Inherited by the reactor process, which then loads the engine from the cache too.
    if ((result.status === ENABLED || result.status === ALREADY_ENABLED) && result.directory) process.env.NODE_COMPILE_CACHE = result.directory;
  } catch {
    // Uncached is only slower.
  }
}

/** Node 22.18 to 23 warn that type stripping is experimental; Skein's sources are meant to be run that way. */
function quietTypeStrippingWarning() {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning, ...rest) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type ?? warning?.name;
    if (type === 'ExperimentalWarning' && /type stripping/i.test(String(text))) return;
    emitWarning(warning, ...rest);
  };
}

/** Run as a program (not imported by a test): argv[1] may be a symlink to this file, as a `bin` is. */
function isMain() {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMain()) {
  if (stripsTypes) {
    enableCache();
    quietTypeStrippingWarning();
    // A `get` starts a reactor process: from one bundled file when one is (or can be made) fresh.
    const reactorBundle = process.argv[2] === 'get' ? await (await import('./reactor-bundle.mjs')).reactorBundle() : null;
    const earlyReactor = reactorBundle ? startReactorEarly(reactorBundle, process.argv.slice(3)) : null;
    const { runCli } = await import('./skein.ts');
    await runCli(process.argv.slice(2), { reactorBundle, earlyReactor });
  } else {
    // with-node24.mjs takes its script and arguments from argv, and re-runs them under Node 24.
    process.argv.splice(2, 0, fileURLToPath(new URL('./skein.ts', import.meta.url)));
    await import('../../scripts/with-node24.mjs');
  }
}
