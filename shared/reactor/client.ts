import { deserializeError, type SerializedError } from '../errors/base.ts';
import { NotCloneableError, ReactorStoppedError } from './errors.ts';
import { createBatcher, type Batcher } from './batching.ts';
import { EventualResult, type Settlers } from './eventual-result.ts';
import { ALL_TOPICS, type Disposer, type HostMessage, type ReactorExit, type ReactorMessage, type ReactorSpawner, type ReactorTransport } from './protocol.ts';
import { defaultRestartPolicy, restartDelay, type RestartPolicy } from './restart-policy.ts';
import { defaultStash } from './stash.ts';

export { ALL_TOPICS };

export type ReactorState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export type ReactorStateListener = (state: ReactorState, message: string | null) => void;
export type ReactorEventListener = (payload: unknown, topic: string) => void;

export interface ReactorClientOptions {
  /** Absolute path of the reactor module, imported in the reactor process. */
  module: string;
  spawn: ReactorSpawner;
  /** null: never restart (in-process reactors). */
  restartPolicy?: RestartPolicy | null;
  /** How long shutdown() waits for an orderly exit before killing. */
  stopGracePeriodMs?: number;
  /** Where lifecycle problems are reported. */
  log?: (message: string) => void;
}

interface PendingCall {
  settlers: Settlers<unknown>;
  fn: string;
}

/**
 * The host's side of the reactor: turns calls into messages and messages into
 * settled EventualResults, restarts a reactor that dies, and stops it on request.
 */
export class ReactorClient {
  readonly #options: ReactorClientOptions;
  readonly #restartPolicy: RestartPolicy | null;
  readonly #pending = new Map<number, PendingCall>();
  readonly #eventListeners = new Map<string, Set<ReactorEventListener>>();
  readonly #stateListeners = new Set<ReactorStateListener>();
  #nextCallId = 1;
  #transport: ReactorTransport | null = null;
  #outgoing: Batcher<HostMessage> | null = null;
  /** Messages for a reactor that is not connected yet (spawning or restarting), in order. */
  #outbox: HostMessage[] = [];
  #state: ReactorState = 'starting';
  #stateMessage: string | null = null;
  #loadFailure: SerializedError | null = null;
  #consecutiveDeaths = 0;
  #startedAt = 0;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped: Promise<void> | null = null;
  #disposeTransport: Disposer[] = [];

  constructor(options: ReactorClientOptions) {
    this.#options = options;
    this.#restartPolicy = options.restartPolicy === undefined ? defaultRestartPolicy : options.restartPolicy;
  }

  get state(): ReactorState {
    return this.#state;
  }

  get stateMessage(): string | null {
    return this.#stateMessage;
  }

  /** Starts the reactor process. */
  start(): void {
    this.#connect();
  }

  /** Calls reactor function `fn`; never throws except ReactorStoppedError once stopped for good. */
  call<T>(fn: string, args: unknown[]): EventualResult<T> {
    if (this.#loadFailure) {
      const failure = this.#loadFailure;
      return EventualResult.rejected<T>(deserializeError(failure), { label: `reactor function "${fn}"` });
    }
    if (this.#state === 'stopped' || this.#state === 'failed' || this.#stopped) {
      throw new ReactorStoppedError(
        this.#stateMessage ?? `Cannot call reactor function "${fn}": the reactor has stopped`,
      );
    }
    const id = this.#nextCallId++;
    const settlers = EventualResult.create<T>({
      label: `reactor function "${fn}"`,
      onCancel: () => {
        if (this.#pending.delete(id)) this.#send({ t: 'cancel', id });
      },
    });
    this.#pending.set(id, { settlers: settlers as Settlers<unknown>, fn });
    try {
      this.#send({ t: 'call', id, fn, args });
    } catch (error) {
      this.#rejectUnsendable(id, fn, error);
    }
    return settlers.result;
  }

  /** Listens to events of `topic` (or ALL_TOPICS) from reactor functions. */
  subscribe(topic: string, listener: ReactorEventListener): Disposer {
    let listeners = this.#eventListeners.get(topic);
    if (!listeners) {
      this.#eventListeners.set(topic, (listeners = new Set()));
      this.#sendTopics();
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#eventListeners.get(topic) === listeners) {
        this.#eventListeners.delete(topic);
        this.#sendTopics();
      }
    };
  }

  /** Tells the reactor which topics to send (see the 'topics' message). */
  #sendTopics(): void {
    // Before the first connection the outbox would only pile up versions; #attach sends the current set.
    if (this.#outgoing === null || this.#stopped) return;
    this.#outgoing.push({ t: 'topics', topics: [...this.#eventListeners.keys()] });
  }

  onStateChange(listener: ReactorStateListener): Disposer {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Reports unread stashed errors, fails every pending result with
   * ReactorStoppedError, asks the reactor to stop, and kills it after the grace period.
   */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    clearTimeout(this.#restartTimer);
    defaultStash.reportUnreadFailures();
    this.#failPending(new ReactorStoppedError('The reactor was shut down'), true);
    const transport = this.#transport;
    this.#outbox = [];
    if (transport) {
      // Not in #disposeTransport: #onExit detaches those before this listener would run.
      let stopListening: Disposer = () => {};
      const exited = new Promise<void>((resolve) => {
        stopListening = transport.onExit(() => resolve());
      });
      try {
        this.#outgoing?.flush();
        transport.send({ t: 'stop' });
      } catch {
        transport.kill();
      }
      const grace = this.#options.stopGracePeriodMs ?? 5000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), grace);
      });
      if ((await Promise.race([exited, timedOut])) === 'timeout') {
        this.#log(`The reactor did not stop within ${grace} ms; killing it`);
        transport.kill();
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      clearTimeout(timer);
      stopListening();
    }
    this.#detach();
    this.#setState('stopped', 'The reactor was shut down');
  }

  #connect(): void {
    this.#setState(this.#consecutiveDeaths === 0 ? 'starting' : 'restarting', this.#stateMessage);
    let spawned: ReactorTransport | Promise<ReactorTransport>;
    try {
      spawned = this.#options.spawn();
    } catch (error) {
      this.#onExit({ code: null, reason: `could not start: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (spawned instanceof Promise) {
      spawned.then(
        (transport) => this.#attach(transport),
        (error: unknown) => this.#onExit({ code: null, reason: `could not start: ${error instanceof Error ? error.message : String(error)}` }),
      );
    } else {
      this.#attach(spawned);
    }
  }

  #attach(transport: ReactorTransport): void {
    if (this.#stopped) {
      transport.kill();
      return;
    }
    this.#transport = transport;
    this.#outgoing = createBatcher<HostMessage>(
      (message) => transport.send(message as HostMessage),
      (message, error) => {
        if (message.t === 'call') this.#rejectUnsendable(message.id, message.fn, error);
      },
    );
    this.#startedAt = Date.now();
    this.#disposeTransport = [
      transport.onMessage((message) => this.#onMessage(message)),
      transport.onExit((exit) => {
        if (this.#transport === transport) this.#onExit(exit);
      }),
    ];
    transport.send({ t: 'init', module: this.#options.module });
    // Also after a restart: the new process knows nothing of this host's listeners.
    transport.send({ t: 'topics', topics: [...this.#eventListeners.keys()] });
    const queued = this.#outbox;
    this.#outbox = [];
    for (const message of queued) this.#outgoing.push(message);
  }

  #send(message: HostMessage): void {
    if (this.#outgoing) {
      this.#outgoing.push(message);
      return;
    }
    // Not connected: check cloneability now, so the caller learns of it at once.
    if (message.t === 'call') structuredClone(message.args);
    this.#outbox.push(message);
  }

  #rejectUnsendable(id: number, fn: string, error: unknown): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    const reason = error instanceof Error ? error.message : String(error);
    pending.settlers.reject(new NotCloneableError(`The arguments to reactor function "${fn}" cannot be structured-cloned: ${reason}`, { cause: error }));
  }

  #onMessage(message: ReactorMessage): void {
    switch (message.t) {
      case 'batch':
        for (const inner of message.messages) this.#onMessage(inner);
        return;
      case 'ok': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        pending.settlers.resolve(message.value);
        return;
      }
      case 'error': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        pending.settlers.reject(deserializeError(message.error), { serialized: message.error });
        return;
      }
      case 'event':
        this.#dispatch(message.topic, message.payload);
        return;
      case 'ready':
        this.#setState('running', null);
        return;
      case 'load-error':
        // A module that cannot load will not load on restart either: fail calls, keep the host alive.
        this.#loadFailure = message.error;
        this.#log(message.error.message);
        for (const [id, pending] of this.#pending) {
          this.#pending.delete(id);
          pending.settlers.reject(deserializeError(message.error), { serialized: message.error });
        }
        this.#setState('failed', message.error.message);
        return;
      case 'stopped':
        return;
    }
  }

  #dispatch(topic: string, payload: unknown): void {
    for (const key of [topic, ALL_TOPICS]) {
      const listeners = this.#eventListeners.get(key);
      if (!listeners) continue;
      for (const listener of [...listeners]) {
        try {
          listener(payload, topic);
        } catch (error) {
          this.#log(`A listener of reactor event "${topic}" threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
    }
  }

  #onExit(exit: ReactorExit): void {
    this.#detach();
    if (this.#stopped || this.#state === 'failed') return;
    const why = `The reactor process died (${exit.reason})`;
    this.#failPending(new ReactorStoppedError(why, { details: { exitCode: exit.code, reason: exit.reason } }), false);
    if (Date.now() - this.#startedAt >= (this.#restartPolicy?.stableAfterMs ?? Infinity)) this.#consecutiveDeaths = 0;
    this.#consecutiveDeaths += 1;
    const delay = this.#restartPolicy ? restartDelay(this.#restartPolicy, this.#consecutiveDeaths) : null;
    if (delay === null) {
      const message = this.#restartPolicy
        ? `The reactor process keeps dying (${this.#consecutiveDeaths} times in a row; last: ${exit.reason}); it will not be restarted`
        : `${why}; it will not be restarted`;
      this.#log(message);
      this.#outbox = [];
      this.#failPending(new ReactorStoppedError(message), false);
      this.#setState('failed', message);
      return;
    }
    this.#log(`${why}; restarting in ${delay} ms`);
    this.#setState('restarting', why);
    this.#restartTimer = setTimeout(() => this.#connect(), delay);
  }

  #failPending(error: ReactorStoppedError, expected: boolean): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    // Their calls were never sent; they must not run after a restart.
    this.#outbox = this.#outbox.filter((message) => message.t !== 'call' && message.t !== 'cancel');
    for (const call of pending) call.settlers.reject(error, { expected });
  }

  #detach(): void {
    for (const dispose of this.#disposeTransport) dispose();
    this.#disposeTransport = [];
    this.#transport = null;
    this.#outgoing = null;
  }

  #setState(state: ReactorState, message: string | null): void {
    if (this.#state === state && this.#stateMessage === message) return;
    this.#state = state;
    this.#stateMessage = message;
    for (const listener of [...this.#stateListeners]) listener(state, message);
  }

  #log(message: string): void {
    (this.#options.log ?? ((text: string) => console.error(`skein reactor: ${text}`)))(message);
  }
}
