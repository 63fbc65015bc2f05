import { deserializeError, type SerializedError } from '../errors/base.ts';
import { BridgeDisconnectedError, BridgeInternalError } from './errors.ts';
import type { BridgeEvent, Reply, ResultHandle, SkeinBridge } from './bridge.ts';
import { requestNames, type RequestName } from './requests.ts';
// Registers the codes a bridge call can fail with, so they come back as their own classes.
import './errors.ts';
import '../reactor/errors.ts';
import '../download/errors.ts';

/** Sends one request to main (IPC invoke, a WebSocket round trip, a direct call in tests). */
export type BridgeInvoke = (name: RequestName, input: unknown) => Promise<Reply>;
/** Listens to every event main pushes; returns the unsubscribe function. */
export type BridgeSubscribe = (listener: (event: BridgeEvent) => void) => () => void;

export interface CreateBridgeOptions {
  /**
   * How a failed request rejects. `error` (default) rebuilds the error as its own
   * class by code. `serialized` rejects with the plain `SerializedError`: the preload
   * uses it because Electron's contextBridge drops an Error's custom properties
   * (its `code`) but copies plain objects whole; the page then calls `asBridgeError`.
   */
  rejectWith?: 'error' | 'serialized';
}

/** Longest single wait main allows; longer waits are cut to it and end in TimeoutError. */
export const MAX_WAIT_MS = 30_000;

/**
 * Builds `window.skein` (or the browser host's equivalent) on top of a transport.
 * Every request of the contract becomes a function; failures keep their error code.
 */
export function createBridge(invoke: BridgeInvoke, subscribe: BridgeSubscribe, options: CreateBridgeOptions = {}): SkeinBridge {
  const fail = (serialized: SerializedError): never => {
    throw options.rejectWith === 'serialized' ? serialized : deserializeError(serialized);
  };

  async function call(name: RequestName, input: unknown): Promise<unknown> {
    let reply: unknown;
    try {
      reply = await invoke(name, input);
    } catch (error) {
      return fail({ name: 'BridgeDisconnectedError', code: 'ERR_BRIDGE_DISCONNECTED', message: describe(error) });
    }
    if (!isReply(reply)) {
      return fail({ name: 'BridgeInternalError', code: 'ERR_BRIDGE_INTERNAL', message: `Main answered "${name}" with something that is not a reply` });
    }
    return reply.ok ? reply.value : fail(reply.error);
  }

  const bridge: Record<string, unknown> = {};
  for (const name of requestNames) {
    bridge[name] = (input: unknown) => call(name, input ?? {});
  }

  bridge.retrieveResult = (uid: number): ResultHandle => {
    // The handle exists at once; operations are sent after the retrieve, in call order.
    const retrieved = call('resultRetrieve', { uid });
    // A failed retrieve surfaces through each operation, never as an unhandled rejection.
    retrieved.catch(() => undefined);
    const afterRetrieve = <T>(step: () => Promise<T>): Promise<T> => retrieved.then(step);
    return {
      wait: (timeoutMs: number) => afterRetrieve(() => call('resultWait', { uid, timeoutMs: clampWait(timeoutMs) })),
      cancel: () => afterRetrieve(async () => {
        await call('resultCancel', { uid });
      }),
      stash: () => afterRetrieve(async () => ((await call('resultStash', { uid })) as { uid: number }).uid),
    };
  };

  bridge.onEvent = (listener: (event: BridgeEvent) => void): (() => void) => subscribe(listener);

  return bridge as unknown as SkeinBridge;
}

/**
 * Turns whatever a bridge call rejected with into an Error of its own class:
 * a rebuilt error stays as it is, a `SerializedError` (from the preload) is rebuilt.
 */
export function asBridgeError(reason: unknown): Error {
  if (reason instanceof Error && typeof (reason as { code?: unknown }).code === 'string') return reason;
  if (isSerializedError(reason)) return deserializeError(reason);
  if (reason instanceof Error) return new BridgeDisconnectedError(reason.message, { cause: reason });
  return new BridgeInternalError(describe(reason));
}

function clampWait(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs)) return Number.isNaN(timeoutMs) || timeoutMs < 0 ? 0 : MAX_WAIT_MS;
  return Math.min(MAX_WAIT_MS, Math.max(0, timeoutMs));
}

function isReply(value: unknown): value is Reply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown };
  if (reply.ok === true) return 'value' in reply;
  return reply.ok === false && isSerializedError(reply.error);
}

function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as { name?: unknown; message?: unknown };
  return typeof error.name === 'string' && typeof error.message === 'string';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
