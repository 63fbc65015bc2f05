import type { SerializedError } from '../errors/base.ts';

/**
 * Messages between the host (main process, CLI, browser host) and the reactor
 * process. Every transport delivers them in order and structured-clones them.
 */
/** The topic that stands for every topic, in subscribe() and in the 'topics' message. */
export const ALL_TOPICS = '*';

export type HostMessage =
  | { t: 'init'; module: string }
  | { t: 'call'; id: number; fn: string; args: unknown[] }
  | { t: 'cancel'; id: number }
  | { t: 'stop' }
  /**
   * The event topics the host listens to (ALL_TOPICS, "*", for every one), sent
   * after init and whenever the set changes: the reactor sends no others, so an
   * event nobody listens to costs no copy and no IPC.
   */
  | { t: 'topics'; topics: string[] }
  /** Several of the above sent in one turn of the event loop, in order (fewer IPC writes). */
  | { t: 'batch'; messages: HostMessage[] };

export type ReactorMessage =
  | { t: 'ready'; functions: string[] }
  | { t: 'load-error'; error: SerializedError }
  | { t: 'ok'; id: number; value: unknown }
  | { t: 'error'; id: number; error: SerializedError }
  | { t: 'event'; topic: string; payload: unknown }
  | { t: 'stopped' }
  | { t: 'batch'; messages: ReactorMessage[] };

/** Why a reactor process ended. */
export interface ReactorExit {
  /** Exit code, when the process exited by itself. */
  code: number | null;
  /** A short human-readable reason: "exit code 1", "killed by SIGKILL", "crashed". */
  reason: string;
}

export type Disposer = () => void;

/** The host's end of a connection to one reactor process. */
export interface ReactorTransport {
  /** Throws if the message cannot be structured-cloned. */
  send(message: HostMessage): void;
  onMessage(listener: (message: ReactorMessage) => void): Disposer;
  /** Fires once, when the process is gone (whatever the cause). */
  onExit(listener: (exit: ReactorExit) => void): Disposer;
  /** Ends the process at once. */
  kill(): void;
}

/** Starts a reactor process and connects to it. */
export type ReactorSpawner = () => ReactorTransport | Promise<ReactorTransport>;

/** The reactor process's end of the connection. */
export interface ReactorEndpoint {
  /** Throws if the message cannot be structured-cloned. */
  send(message: ReactorMessage): void;
  onMessage(listener: (message: HostMessage) => void): Disposer;
}
