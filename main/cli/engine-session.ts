// Registers the DownloadError codes: errors from the reactor arrive as their own class and code.
import '../../shared/download/errors.ts';
import { STATE_LOCKED } from '../engine/state-lock.ts';
import { spawnChildReactor } from '../reactor/child-process-transport.ts';
import { setup, shutdown } from '../reactor/index.ts';
import { reactorModulePath, reactorSpawnOptions, takePrespawned } from './early-reactor.ts';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Starts the engine's reactor for the state folder the user chose (or the app's),
 * adopting the process the entry point started early when there is one.
 */
export function startEngine(stateDir: string | null): void {
  const options = reactorSpawnOptions(stateDir);
  setup({ module: reactorModulePath(), spawn: () => takePrespawned(stateDir) ?? spawnChildReactor(options) });
}

/** Stops the reactor: its stop hook leaves unfinished downloads resumable. */
export async function stopEngine(): Promise<void> {
  await shutdown();
}

/** `skein: <code>: <message>`, the one line a failure gets on stderr (no stack trace). */
export function errorLine(error: unknown): string {
  // An error whose code this process has not registered keeps it as remoteCode.
  const remoteCode = (error as { remoteCode?: unknown } | null)?.remoteCode;
  const code = typeof remoteCode === 'string' ? remoteCode : (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as { message: string }).message : String(error);
  return `skein: ${typeof code === 'string' ? code : 'ERR_UNEXPECTED'}: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * Runs `work`, retrying for a few seconds while the state folder is locked: after
 * a kill, the old reactor process may still be exiting when the command runs again.
 */
export async function withLockRetry<T>(work: () => Promise<T>, patienceMs = 5000): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== STATE_LOCKED || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
