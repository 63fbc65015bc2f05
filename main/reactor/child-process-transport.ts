import { fork } from 'node:child_process';
import type { HostMessage, ReactorExit, ReactorMessage, ReactorSpawner, ReactorTransport } from '../../shared/reactor/protocol.ts';

export interface ChildProcessSpawnOptions {
  /** The reactor entry script (main/reactor/entry.ts, or the bundled reactor.js). */
  entry: string;
  /** Replaces the default runtime flags. */
  execArgv?: string[];
  /** Added to the default runtime flags. */
  extraExecArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Node flags the reactor process needs to run our TypeScript sources unbundled. */
function defaultExecArgv(entry: string): string[] {
  const flags = ['--disable-warning=ExperimentalWarning'];
  const typescriptSupport = (process.features as { typescript?: unknown }).typescript;
  if (entry.endsWith('.ts') && !typescriptSupport) flags.push('--experimental-strip-types');
  return flags;
}

/**
 * Starts the reactor as a Node child process speaking the reactor protocol over
 * the IPC channel, with structured-clone ("advanced") serialization.
 */
export function childProcessSpawner(options: ChildProcessSpawnOptions): ReactorSpawner {
  return () => spawnChildReactor(options);
}

export function spawnChildReactor(options: ChildProcessSpawnOptions): ReactorTransport {
  const child = fork(options.entry, [], {
    serialization: 'advanced',
    execArgv: [...(options.execArgv ?? defaultExecArgv(options.entry)), ...(options.extraExecArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messageListeners = new Set<(message: ReactorMessage) => void>();
  const exitListeners = new Set<(exit: ReactorExit) => void>();
  let exited: ReactorExit | null = null;

  const finish = (exit: ReactorExit): void => {
    if (exited) return;
    exited = exit;
    for (const listener of [...exitListeners]) listener(exit);
    exitListeners.clear();
  };

  child.on('message', (message) => {
    for (const listener of messageListeners) listener(message as ReactorMessage);
  });
  child.on('exit', (code, signal) => {
    finish({ code, reason: code !== null ? `exit code ${code}` : `killed by ${signal ?? 'a signal'}` });
  });
  // Spawn failures and sends on a closed channel arrive here; without a listener they would crash the host.
  child.on('error', (error) => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
      finish({ code: null, reason: `could not start the reactor process: ${error.message}` });
    }
  });

  return {
    send(message: HostMessage) {
      if (exited || !child.connected) return;
      child.send(message);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onExit(listener) {
      if (exited) {
        const exit = exited;
        queueMicrotask(() => listener(exit));
        return () => {};
      }
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
    get pid() {
      return child.pid;
    },
  } as ReactorTransport & { readonly pid: number | undefined };
}
