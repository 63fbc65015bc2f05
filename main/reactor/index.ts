/**
 * The reactor library, Node side: start the reactor once, call into it, and
 * stop it. Importing this module starts nothing.
 *
 *   setup({ module: '/abs/path/engine.js' });
 *   const download = runInReactor<EngineApi['addDownloads']>('addDownloads');
 *   const result = download(requests);      // an EventualResult, at once
 *   await result.wait(1000);                // or cancel(), or stash()
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_TOPICS, ReactorClient, type ReactorEventListener, type ReactorState, type ReactorStateListener } from '../../shared/reactor/client.ts';
import type { ReactorCaller, ReactorFunction } from '../../shared/reactor/context.ts';
import { NotSetUpError } from '../../shared/reactor/errors.ts';
import type { EventualResult } from '../../shared/reactor/eventual-result.ts';
import type { Disposer, ReactorSpawner } from '../../shared/reactor/protocol.ts';
import type { RestartPolicy } from '../../shared/reactor/restart-policy.ts';
import { childProcessSpawner } from './child-process-transport.ts';
import { inProcessSpawner } from './in-process.ts';

export * from '../../shared/reactor/index.ts';

export interface SetupOptions {
  /** Absolute path of the ES module whose named exports are the reactor functions. */
  module: string;
  /** How to start the reactor process; default: a utility process under Electron, a Node child process elsewhere. */
  spawn?: ReactorSpawner;
  /** The reactor entry script for the default spawner. */
  entry?: string;
  /** Environment of the reactor process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Extra runtime flags for the reactor process (e.g. V8 heap tuning for the engine). */
  execArgv?: string[];
  restartPolicy?: RestartPolicy | null;
  stopGracePeriodMs?: number;
}

export interface NoSetupOptions {
  module: string;
}

let client: ReactorClient | null = null;
let mode: 'none' | 'setup' | 'noSetup' = 'none';
const stateListeners = new Set<ReactorStateListener>();
const pendingSubscriptions = new Set<{ topic: string; listener: ReactorEventListener; dispose: Disposer | null }>();

function requireAbsoluteModule(module: unknown, caller: string): string {
  if (typeof module !== 'string' || !isAbsolute(module)) {
    throw new TypeError(`${caller}({ module }) needs an absolute path to the reactor module, got ${JSON.stringify(module)}`);
  }
  return module;
}

/** The reactor entry next to this file: entry.ts from sources, reactor.js inside a bundle. */
export function defaultReactorEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const source = join(here, 'entry.ts');
  if (import.meta.url.endsWith('.ts') && existsSync(source)) return source;
  return join(here, 'reactor.js');
}

/** In Electron's main process the reactor is a utility process; elsewhere a Node child process. */
function defaultSpawner(entry: string, options: SetupOptions): ReactorSpawner {
  const inElectronMain = Boolean(process.versions.electron) && (process as { type?: string }).type === 'browser';
  if (!inElectronMain) return childProcessSpawner({ entry, env: options.env, extraExecArgv: options.execArgv });
  // Loaded only inside Electron: the adapter imports 'electron', which plain Node does not have.
  return async () => (await import('../electron/utility-process-transport.ts')).spawnUtilityReactor(entry, { execArgv: options.execArgv });
}

function install(created: ReactorClient): void {
  client = created;
  created.onStateChange((state, message) => {
    for (const listener of [...stateListeners]) listener(state, message);
  });
  for (const subscription of pendingSubscriptions) {
    subscription.dispose = created.subscribe(subscription.topic, subscription.listener);
  }
  created.start();
}

/**
 * Starts the reactor in its own process, loading `module` there. Later calls do
 * nothing (exactly one reactor process), as does any call after noSetup().
 */
export function setup(options: SetupOptions): void {
  if (mode !== 'none') return;
  const module = requireAbsoluteModule(options?.module, 'setup');
  mode = 'setup';
  const entry = options.entry ?? defaultReactorEntry();
  install(
    new ReactorClient({
      module,
      spawn: options.spawn ?? defaultSpawner(entry, options),
      restartPolicy: options.restartPolicy,
      stopGracePeriodMs: options.stopGracePeriodMs,
    }),
  );
}

/**
 * Runs the reactor functions in this process instead of a reactor process, for
 * programs that own their event loop and for tests. Throws after setup().
 */
export function noSetup(options: NoSetupOptions): void {
  if (mode === 'setup') throw new Error('noSetup() was called after setup(): the reactor already runs in its own process');
  if (mode === 'noSetup') return;
  const module = requireAbsoluteModule(options?.module, 'noSetup');
  mode = 'noSetup';
  install(new ReactorClient({ module, spawn: inProcessSpawner(), restartPolicy: null }));
}

/** A caller for reactor function `name`: every call returns an EventualResult at once. */
export function runInReactor<F extends ReactorFunction = ReactorFunction>(name: string): ReactorCaller<F> {
  if (typeof name !== 'string' || name === '') throw new TypeError('runInReactor(name) needs the name of a reactor function');
  const caller = (...args: unknown[]): EventualResult<unknown> => {
    if (!client) {
      throw new NotSetUpError(
        `Reactor function "${name}" was called before the reactor was set up: call setup({ module }) first (or noSetup({ module }) to run it in this process)`,
      );
    }
    return client.call(name, args);
  };
  return caller as unknown as ReactorCaller<F>;
}

/** Listens to events the reactor functions emit on `topic` ('*' for all). Works before setup(). */
export function subscribe(topic: string, listener: ReactorEventListener): Disposer {
  const subscription = { topic, listener, dispose: client ? client.subscribe(topic, listener) : null };
  pendingSubscriptions.add(subscription);
  return () => {
    pendingSubscriptions.delete(subscription);
    subscription.dispose?.();
  };
}

export { ALL_TOPICS };

/** Follows the reactor's life: starting, running, restarting (after a crash), stopped, failed. */
export function onReactorStateChange(listener: ReactorStateListener): Disposer {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

export function reactorState(): ReactorState | 'not-set-up' {
  return client?.state ?? 'not-set-up';
}

/**
 * Reports unread stashed errors, fails pending results with ReactorStoppedError,
 * stops the reactor (killing it after a grace period). Later calls throw ReactorStoppedError.
 */
export function shutdown(): Promise<void> {
  return client ? client.shutdown() : Promise.resolve();
}
