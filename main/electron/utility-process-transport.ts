/**
 * The reactor's transport in the app: an Electron utility process (a Node
 * process Chromium manages, shown as "Skein Reactor" in the task manager).
 */
import { utilityProcess } from 'electron';
import type { HostMessage, ReactorExit, ReactorMessage, ReactorTransport } from '../../shared/reactor/protocol.ts';

/** Describes an exit code the way a person reading the log expects. */
export function describeUtilityExit(code: number, killedByUs: boolean): string {
  if (killedByUs) return 'killed by Skein';
  if (code === 0) return 'exited normally';
  // Chromium reports a crash or an external kill as a non-zero code (15 and 9 are SIGTERM/SIGKILL).
  if (code === 9 || code === 137) return 'killed by SIGKILL';
  if (code === 15 || code === 143) return 'killed by SIGTERM';
  return `exit code ${code}`;
}

/** Starts the reactor entry in a utility process and connects to it. */
export function spawnUtilityReactor(entryPath: string, options: { execArgv?: string[] } = {}): ReactorTransport {
  const child = utilityProcess.fork(entryPath, [], { serviceName: 'Skein Reactor', stdio: 'pipe', execArgv: options.execArgv ?? [] });
  // Piped output must be read or the child blocks once the pipe is full.
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(`[reactor] ${chunk.toString()}`));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[reactor] ${chunk.toString()}`));

  let exited = false;
  let killedByUs = false;
  const messageListeners = new Set<(message: ReactorMessage) => void>();
  const exitListeners = new Set<(exit: ReactorExit) => void>();

  child.on('message', (message: unknown) => {
    for (const listener of [...messageListeners]) listener(message as ReactorMessage);
  });
  child.on('error', (type, location) => {
    process.stderr.write(`[reactor] ${type} at ${location}\n`);
  });
  child.once('exit', (code: number) => {
    exited = true;
    const exit: ReactorExit = { code, reason: describeUtilityExit(code, killedByUs) };
    for (const listener of [...exitListeners]) listener(exit);
    exitListeners.clear();
    messageListeners.clear();
  });

  return {
    send(message: HostMessage) {
      if (exited) throw new Error('The reactor process has exited');
      child.postMessage(message);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    kill() {
      if (exited) return;
      killedByUs = true;
      child.kill();
    },
  };
}
