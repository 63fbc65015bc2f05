import type { Agent as AgentClass, Dispatcher, EnvHttpProxyAgent as EnvHttpProxyAgentClass } from 'undici';
import api from 'undici/lib/api/index.js';
import AgentModule from 'undici/lib/dispatcher/agent.js';
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentModule from 'undici/lib/dispatcher/env-http-proxy-agent.js';

/**
 * The parts of undici the engine uses, loaded from undici's own files: its
 * index also loads fetch, WebSocket, mocks and cache stores, ~35 ms more at
 * every start of the engine's process (measured with the compile cache on).
 * The types still come from the package. Pinned to undici 7's layout: the
 * transfer tests fail loudly if an upgrade moves these files.
 */

// What undici's index does: its proxy agent opens CONNECT tunnels with `client.connect`, an API method.
Object.assign((DispatcherModule as { prototype: object }).prototype, api);

export const Agent = AgentModule as typeof AgentClass;
export const EnvHttpProxyAgent = EnvHttpProxyAgentModule as typeof EnvHttpProxyAgentClass;

type RequestFunction = (this: Pick<Dispatcher, 'dispatch'>, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** undici's `request(url, { dispatcher, ... })` for an http(s) URL already validated. It only calls `dispatcher.dispatch`. */
export function request(
  url: string,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Pick<Dispatcher, 'dispatch'> },
): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = new URL(url);
  return (api.request as RequestFunction).call(dispatcher, { ...rest, origin: parsed.origin, path: parsed.pathname + parsed.search });
}
