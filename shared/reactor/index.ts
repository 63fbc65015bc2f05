/**
 * The pure half of the reactor library: results, errors, the stash, the wire
 * protocol and the host-side client. Runs anywhere (main, renderer, tests).
 */
export { EventualResult, setUnreadFailureLogger } from './eventual-result.ts';
export type { EventualResultOptions, Settlers, UnreadFailureLogger } from './eventual-result.ts';
export { ResultStash, defaultStash, retrieveResult } from './stash.ts';
export {
  CancelledError,
  ModuleLoadError,
  NotCloneableError,
  NotSetUpError,
  ReactorStoppedError,
  RemoteError,
  TimeoutError,
  UnknownFunctionError,
  UnknownResultError,
} from './errors.ts';
export { deserializeError, serializeError, SkeinError } from '../errors/base.ts';
export type { SerializedError } from '../errors/base.ts';
export type { ReactorCaller, ReactorContext, ReactorFunction } from './context.ts';
export { STOP_HOOK_EXPORT } from './context.ts';
export type { Disposer, HostMessage, ReactorEndpoint, ReactorExit, ReactorMessage, ReactorSpawner, ReactorTransport } from './protocol.ts';
export { ALL_TOPICS, ReactorClient } from './client.ts';
export type { ReactorClientOptions, ReactorEventListener, ReactorState, ReactorStateListener } from './client.ts';
export { createMemoryTransportPair } from './memory-transport.ts';
export type { MemoryTransportPair } from './memory-transport.ts';
export { serveReactor } from './server.ts';
export type { ReactorServerOptions } from './server.ts';
export { defaultRestartPolicy, restartDelay } from './restart-policy.ts';
export type { RestartPolicy } from './restart-policy.ts';
export { waitFor } from './wait-for.ts';
