import * as v from 'valibot';
import type { AppCommand, BridgeEvent, Reply } from '../../shared/contract/bridge.ts';
import { BridgeInternalError, InvalidRequestError, UnknownRequestError } from '../../shared/contract/errors.ts';
import { isRequestName, requests, type AppInfo, type RequestName } from '../../shared/contract/requests.ts';
import { RemoteError, serializeError, SkeinError, type SerializedError } from '../../shared/errors/base.ts';
import type { Disposer } from '../../shared/reactor/protocol.ts';
import { onReactorStateChange, reactorState } from '../reactor/index.ts';
import { engineCallers, type EngineCallers } from './engine-callers.ts';
import { bridgeEventsFromReactor } from './engine-events.ts';
import { handlers, type HandlerContext } from './handlers.ts';
import type { PlatformServices } from './platform.ts';
import { ResultRegistry, type ClientId } from './result-registry.ts';

export type { ClientId } from './result-registry.ts';

export interface AppServiceOptions {
  host: 'electron' | 'browser';
  platform: PlatformServices;
  /** The app's version, shown in About (default: 0.0.0). */
  version?: string;
  /** `process.platform` unless a test says otherwise. */
  platformName?: string;
  /** Bound on reactor calls that answer at once (default 15 s). */
  callTimeoutMs?: number;
  /** Where unexpected errors (bugs) go; default console.error. */
  reportBug?: (message: string, error: unknown) => void;
  now?: () => number;
  /** Override the engine callers (tests); default: the module-level reactor. */
  engine?: EngineCallers;
  registry?: ResultRegistry;
}

/** The Electron-free core behind every IPC (and WebSocket) request. */
export interface AppService {
  /**
   * Answers one request from `client`. Never throws: an unknown name or an input
   * that fails the contract gets a typed error and changes nothing.
   */
  handle(client: ClientId, name: unknown, input: unknown): Promise<Reply>;
  /** Every event for windows: engine events, reactor state, URLs handed over. Returns the disposer. */
  onEvent(listener: (event: BridgeEvent) => void): Disposer;
  /** A window closed or reloaded: its held results are parked under their uids for a while. */
  releaseClient(client: ClientId): void;
  /** Asks windows to open the Add dialog with these URLs (second launch, dock drop, tray). */
  announceUrls(urls: string[]): void;
  /** Asks windows to carry out a menu or tray command (open settings, add a download). */
  sendCommand(command: AppCommand): void;
  /** The reactor's state as windows see it. */
  reactorState(): AppInfo['reactorState'];
  /** Starts forwarding engine events; call after setup()/noSetup(). Idempotent. */
  start(): void;
  /** Stops forwarding and drops held results (downloads go on). Idempotent. */
  stop(): void;
}

export function createAppService(options: AppServiceOptions): AppService {
  const listeners = new Set<(event: BridgeEvent) => void>();
  const registry = options.registry ?? new ResultRegistry();
  const engine = options.engine ?? engineCallers();
  const now = options.now ?? Date.now;
  const reportBug = options.reportBug ?? ((message, error) => console.error(`skein: ${message}`, error));
  const lastExternalOpen = new Map<ClientId, number>();
  let disposers: Disposer[] = [];
  let started = false;
  let stopping = false;

  const emit = (event: BridgeEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        reportBug(`an event listener threw on "${event.type}"`, error);
      }
    }
  };

  const currentReactorState = (): AppInfo['reactorState'] => {
    const state = reactorState();
    return state === 'not-set-up' ? 'starting' : state;
  };

  const contextFor = (client: ClientId): HandlerContext => ({
    client,
    engine,
    registry,
    platform: options.platform,
    host: options.host,
    version: options.version ?? '0.0.0',
    platformName: options.platformName ?? process.platform,
    callTimeoutMs: options.callTimeoutMs ?? 15_000,
    reactorState: currentReactorState,
    stopping: () => stopping,
    now,
    lastExternalOpen,
  });

  async function handle(client: ClientId, name: unknown, input: unknown): Promise<Reply> {
    try {
      if (typeof client !== 'string' || client === '') throw new BridgeInternalError('A request arrived without a client id');
      if (!isRequestName(name)) {
        throw new UnknownRequestError(`"${typeof name === 'string' ? name.slice(0, 64) : typeof name}" is not a Skein request`);
      }
      const parsed = v.safeParse(requests[name].input, input);
      if (!parsed.success) throw invalidInput(name, parsed.issues);
      const handler = handlers[name] as (ctx: HandlerContext, input: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(contextFor(client), parsed.output) };
    } catch (error) {
      if (!(error instanceof SkeinError)) reportBug(`request "${String(name).slice(0, 64)}" failed unexpectedly`, error);
      return { ok: false, error: toWire(error) };
    }
  }

  return {
    handle,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    releaseClient(client) {
      registry.release(client);
      lastExternalOpen.delete(client);
    },
    announceUrls(urls) {
      const httpUrls = urls.filter(isHttpUrl);
      if (httpUrls.length > 0) emit({ type: 'add-urls', urls: httpUrls });
    },
    sendCommand(command) {
      emit({ type: 'command', command });
    },
    reactorState: currentReactorState,
    start() {
      if (started) return;
      started = true;
      stopping = false;
      disposers = [
        ...bridgeEventsFromReactor(emit, (message, error) => reportBug(message, error)),
        onReactorStateChange((state, message) => emit({ type: 'reactor', state, message })),
      ];
    },
    stop() {
      if (!started) return;
      started = false;
      stopping = true;
      for (const dispose of disposers) dispose();
      disposers = [];
      registry.clear();
    },
  };
}

/**
 * The wire form for a window. An error the reactor sent whose class main does not
 * know (an engine error) travels on with its own name and code, not as ERR_REMOTE.
 */
export function toWire(error: unknown): SerializedError {
  const serialized = serializeError(error);
  if (error instanceof RemoteError && error.remoteCode !== undefined) {
    serialized.name = error.remoteName;
    serialized.code = error.remoteCode;
    if (error.remoteStack !== undefined) serialized.stack = error.remoteStack;
  }
  return serialized;
}

function invalidInput(name: RequestName, issues: v.BaseIssue<unknown>[]): InvalidRequestError {
  const problems = issues.slice(0, 5).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return new InvalidRequestError(`Invalid "${name}" request: ${problems.join('; ')}`, { details: { request: name, problems } });
}

function isHttpUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 8192) return false;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
