import { ReactorClient } from '../../../shared/reactor/client.ts';
import type { ReactorFunction } from '../../../shared/reactor/context.ts';
import type { EventualResult } from '../../../shared/reactor/eventual-result.ts';
import { defaultReactorEntry } from '../../reactor/index.ts';
import { spawnChildReactor } from '../../reactor/child-process-transport.ts';
import { STATE_DIR_ENV } from '../app-paths.ts';
import { TRANSFER_PROCESS_FLAGS } from '../transfer/process-flags.ts';

/** The engine module, as setup({ module }) is given it. */
export const ENGINE_MODULE_PATH = new URL('../reactor-module.ts', import.meta.url).pathname;

/**
 * The engine in a real reactor child process, one per test (setup() allows one
 * per process; tests need to kill and restart). Never restarted by itself, so a
 * SIGKILL stays a crash until the test starts the next one.
 */
export interface EngineProcess {
  call<F extends ReactorFunction>(name: string, ...args: unknown[]): EventualResult<Awaited<ReturnType<F>>>;
  /** Events by topic, in arrival order. */
  events: Array<{ topic: string; payload: unknown }>;
  pid: number | undefined;
  kill(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startEngineProcess(stateDir: string, env: NodeJS.ProcessEnv = {}): EngineProcess {
  let pid: number | undefined;
  let exited: Promise<void> = Promise.resolve();
  const client = new ReactorClient({
    module: ENGINE_MODULE_PATH,
    restartPolicy: null,
    log: () => {},
    spawn: () => {
      const transport = spawnChildReactor({
        entry: defaultReactorEntry(),
        env: { ...process.env, ...env, [STATE_DIR_ENV]: stateDir },
        execArgv: ['--disable-warning=ExperimentalWarning', ...TRANSFER_PROCESS_FLAGS],
      });
      pid = (transport as unknown as { pid: number | undefined }).pid;
      exited = new Promise((resolve) => transport.onExit(() => resolve()));
      return transport;
    },
  });
  const events: EngineProcess['events'] = [];
  client.subscribe('*', (payload, topic) => events.push({ topic, payload }));
  client.start();
  return {
    call: (name, ...args) => client.call(name, args),
    events,
    get pid() {
      return pid;
    },
    kill: async () => {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
      await client.shutdown().catch(() => {});
    },
    shutdown: () => client.shutdown(),
  };
}
