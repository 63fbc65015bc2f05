import { serializeError } from '../errors/base.ts';
import { type ReactorContext, STOP_HOOK_EXPORT } from './context.ts';
import { CancelledError, ModuleLoadError, NotCloneableError, ReactorStoppedError, UnknownFunctionError } from './errors.ts';
import { createBatcher } from './batching.ts';
import { ALL_TOPICS, type Disposer, type HostMessage, type ReactorEndpoint, type ReactorMessage } from './protocol.ts';

export interface ReactorServerOptions {
  /** Imports the reactor module by the path the host gave (dynamic import, resolved by the caller's runtime). */
  load(module: string): Promise<Record<string, unknown>>;
  /** Ends the reactor process after an orderly stop. */
  exit(code: number): void;
}

type ReactorModuleFunction = (context: ReactorContext, ...args: unknown[]) => unknown;

/**
 * The reactor's side of the protocol: imports the module named by `init`, runs
 * calls with an AbortSignal each, aborts on cancel, and stops on request. Calls
 * that arrive before the module is loaded wait; a cancel for such a call aborts
 * its signal at once, so the function starts already cancelled.
 */
export function serveReactor(endpoint: ReactorEndpoint, options: ReactorServerOptions): Disposer {
  let modulePath = '';
  let functions: Map<string, ReactorModuleFunction> | null = null;
  let stopHook: (() => unknown) | null = null;
  let loadFailure: Error | null = null;
  const waitingForModule: Array<{ id: number; fn: string; args: unknown[] }> = [];
  const running = new Map<number, AbortController>();
  let stopping = false;
  /** What the host listens to ('topics' message); nothing until it says. */
  let wantedTopics = new Set<string>();

  /** Which function produced a result message, to name it if the value cannot be sent. */
  const resultOf = new WeakMap<ReactorMessage, string>();
  const outgoing = createBatcher<ReactorMessage>(
    (message) => endpoint.send(message as ReactorMessage),
    (message, error) => {
      if (message.t !== 'ok') return;
      const fn = resultOf.get(message) ?? `#${message.id}`;
      const failure = new NotCloneableError(`The value returned by reactor function "${fn}" cannot be structured-cloned: ${describe(error)}`, { cause: error });
      try {
        endpoint.send({ t: 'error', id: message.id, error: serializeError(failure) });
      } catch {
        // The channel itself is gone; the host will see the exit.
      }
    },
  );
  const send = (message: ReactorMessage): void => outgoing.push(message);

  function fail(id: number, error: unknown): void {
    send({ t: 'error', id, error: serializeError(error) });
  }

  function emit(topic: string, payload: unknown): void {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('emit(topic, payload): topic must be a non-empty string');
    // Nobody listens: no copy, no IPC (the payload's cloneability goes unchecked too).
    if (!wantedTopics.has(topic) && !wantedTopics.has(ALL_TOPICS)) return;
    try {
      // Checked here so the emitter learns of it; sending is batched and would find out too late.
      structuredClone(payload);
    } catch (error) {
      throw new NotCloneableError(`The payload of event "${topic}" cannot be structured-cloned: ${describe(error)}`, { cause: error });
    }
    send({ t: 'event', topic, payload });
  }

  function run(id: number, fn: string, args: unknown[], controller: AbortController): void {
    const target = functions?.get(fn);
    if (!target) {
      running.delete(id);
      const available = [...(functions?.keys() ?? [])].sort().join(', ') || '(none)';
      fail(id, new UnknownFunctionError(`No reactor function named "${fn}" in ${modulePath}; it exports: ${available}`));
      return;
    }
    const succeed = (value: unknown): void => {
      running.delete(id);
      if (controller.signal.aborted && isCancel(controller.signal.reason)) return;
      const message: ReactorMessage = { t: 'ok', id, value };
      resultOf.set(message, fn);
      send(message);
    };
    const failWith = (error: unknown): void => {
      running.delete(id);
      if (controller.signal.aborted && isCancel(controller.signal.reason)) return;
      fail(id, error);
    };
    let value: unknown;
    try {
      value = target({ signal: controller.signal, emit }, ...args);
    } catch (error) {
      failWith(error);
      return;
    }
    // Plain values answer in this turn; only real promises wait.
    if (isThenable(value)) value.then(succeed, failWith);
    else succeed(value);
  }

  function startCall(id: number, fn: string, args: unknown[]): void {
    const controller = running.get(id);
    if (!controller) return;
    if (loadFailure) {
      running.delete(id);
      fail(id, loadFailure);
      return;
    }
    run(id, fn, args, controller);
  }

  async function init(module: string): Promise<void> {
    modulePath = module;
    try {
      const exports = await options.load(module);
      const found = new Map<string, ReactorModuleFunction>();
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value !== 'function') continue;
        if (name === STOP_HOOK_EXPORT) stopHook = value as () => unknown;
        else found.set(name, value as ReactorModuleFunction);
      }
      functions = found;
      send({ t: 'ready', functions: [...found.keys()] });
    } catch (error) {
      loadFailure = new ModuleLoadError(`Could not load the reactor module ${module}: ${describe(error)}`, { cause: error });
      send({ t: 'load-error', error: serializeError(loadFailure) });
    }
    for (const call of waitingForModule.splice(0)) startCall(call.id, call.fn, call.args);
  }

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    for (const controller of running.values()) controller.abort(new ReactorStoppedError('The reactor is stopping'));
    try {
      await stopHook?.();
    } catch (error) {
      console.error(`Reactor module ${modulePath}: ${STOP_HOOK_EXPORT}() failed: ${describe(error)}`);
    }
    try {
      send({ t: 'stopped' });
      outgoing.flush();
    } finally {
      options.exit(0);
    }
  }

  const receive = (message: HostMessage): void => {
    switch (message.t) {
      case 'batch':
        for (const inner of message.messages) receive(inner);
        break;
      case 'init':
        void init(message.module);
        break;
      case 'call': {
        if (stopping) {
          fail(message.id, new ReactorStoppedError('The reactor is stopping'));
          break;
        }
        running.set(message.id, new AbortController());
        const args = Array.isArray(message.args) ? message.args : [];
        if (functions || loadFailure) startCall(message.id, message.fn, args);
        else waitingForModule.push({ id: message.id, fn: message.fn, args });
        break;
      }
      case 'cancel':
        running.get(message.id)?.abort(new CancelledError('The caller cancelled this call'));
        break;
      case 'stop':
        void stop();
        break;
      case 'topics':
        if (Array.isArray(message.topics)) wantedTopics = new Set(message.topics.filter((topic) => typeof topic === 'string'));
        break;
    }
  };
  return endpoint.onMessage(receive);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isCancel(reason: unknown): boolean {
  return reason instanceof CancelledError;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
