import { fileURLToPath } from 'node:url';
import type { ReactorTransport } from '../../shared/reactor/protocol.ts';
import { STATE_DIR_ENV, stateDirectory } from '../engine/app-paths.ts';
import { TRANSFER_PROCESS_FLAGS } from '../engine/transfer/process-flags.ts';
import type { ChildProcess } from 'node:child_process';
import { adoptChildReactor, spawnChildReactor, type ChildProcessSpawnOptions, type EarlyChildState } from '../reactor/child-process-transport.ts';

/**
 * Starts the CLI's reactor process before the rest of the CLI has loaded.
 *
 * A `get` spends about a third of a second before its first request: this process
 * loading its modules, then the reactor process booting and loading the engine.
 * The two need not wait for each other: the reactor boots while the CLI loads,
 * and setup() adopts the process already running. Only this module and the few
 * it imports load before the spawn.
 */

const REACTOR_ENTRY = fileURLToPath(new URL('../reactor/entry.ts', import.meta.url));
const REACTOR_PRELOAD = fileURLToPath(new URL('./reactor-preload.ts', import.meta.url));
/** The engine's reactor module, loaded by path in the reactor process. */
export const ENGINE_MODULE = fileURLToPath(new URL('../engine/reactor-module.ts', import.meta.url));

let prespawned: { stateDir: string; transport: ReactorTransport } | null = null;
let reactorBundle: string | null = null;

/**
 * Runs the reactor from one bundled file (see reactor-bundle.mjs) instead of its
 * sources: the bundle is both the process's entry and its reactor module.
 */
export function useReactorBundle(path: string | null): void {
  reactorBundle = path;
}

/** How the CLI starts its reactor: the engine's state folder, the transfer's flags, Ctrl-C left to the CLI. */
export function reactorSpawnOptions(stateDir: string | null): ChildProcessSpawnOptions {
  return {
    entry: reactorBundle ?? REACTOR_ENTRY,
    env: { ...process.env, [STATE_DIR_ENV]: stateDir ?? stateDirectory() },
    // The bundle starts with what the preload does (reactor-bundle-entry.ts).
    execArgv: ['--disable-warning=ExperimentalWarning', ...TRANSFER_PROCESS_FLAGS, ...(reactorBundle ? [] : ['--import', REACTOR_PRELOAD])],
  };
}

/** The module setup() names to the reactor: the engine's source, or the bundle that contains it. */
export function reactorModulePath(): string {
  return reactorBundle ?? ENGINE_MODULE;
}

/** A reactor the launcher (launch.mjs) forked from the bundle before this module loaded. */
export interface EarlyReactor {
  stateDir: string;
  child: ChildProcess;
  early: EarlyChildState;
}

/** Takes over the launcher's reactor; setup() takes it with `takePrespawned`, like one spawned here. */
export function adoptEarlyReactor(reactor: EarlyReactor): void {
  prespawned?.transport.kill();
  prespawned = { stateDir: reactor.stateDir, transport: adoptChildReactor(reactor.child, reactor.early) };
}

/** Spawns the reactor for `stateDir` now; setup() takes it with `takePrespawned`. */
export function prespawnReactor(stateDir: string | null): void {
  if (prespawned) return;
  prespawned = { stateDir: stateDir ?? stateDirectory(), transport: spawnChildReactor(reactorSpawnOptions(stateDir)) };
}

/**
 * The process started early for this state folder, once; null when there is none
 * (or it was for another folder, in which case it is stopped).
 */
export function takePrespawned(stateDir: string | null): ReactorTransport | null {
  const taken = prespawned;
  prespawned = null;
  if (!taken) return null;
  if (taken.stateDir === (stateDir ?? stateDirectory())) return taken.transport;
  taken.transport.kill();
  return null;
}
