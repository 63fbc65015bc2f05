import { fork, type ChildProcess } from 'node:child_process';
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
  return adoptChildReactor(child);
}

/** What a process started elsewhere (the CLI's launcher) did before it was adopted. */
export interface EarlyChildState {
  /** Messages that arrived before adoption, in order. */
  messages: unknown[];
  /** The spawn's failure, if it failed. */
  error: Error | null;
  /** Detaches whoever kept the above; adoption takes over from here. */
  stop(): void;
}

/**
 * Wraps a reactor process already forked with an IPC channel and "advanced"
 * serialization. `early` holds what it said before this call; its exit, if it
 * already happened, is read from the process.
 */
export function adoptChildReactor(child: ChildProcess, early: EarlyChildState | null = null): ReactorTransport {
  // Same turn as the listeners below: no message falls between the two.
  early?.stop();
  const messageListeners = new Set<(message: ReactorMessage) => void>();
  const backlog = early ? [...early.messages] : [];
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
  if (child.exitCode !== null || child.signalCode !== null) {
    const code = child.exitCode;
    queueMicrotask(() => finish({ code, reason: code !== null ? `exit code ${code}` : `killed by ${child.signalCode ?? 'a signal'}` }));
  } else if (early?.error && child.pid === undefined) {
    const reason = `could not start the reactor process: ${early.error.message}`;
    queueMicrotask(() => finish({ code: null, reason }));
  }
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
      // The first listener hears what came before adoption, in order, before anything newer.
      for (const message of backlog.splice(0)) listener(message as ReactorMessage);
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
