import type { Dispatcher } from 'undici';
import { closeDirectConnections } from './h1/direct.ts';
import { MAX_CONNECTIONS_PER_ORIGIN } from './h1/origin-pool.ts';
import { Agent, EnvHttpProxyAgent } from './undici.ts';

/**
 * Which route a request takes: straight to the server through Skein's own
 * client (h1/direct.ts, which pools its own connections), or through a proxy
 * with undici's agents, pooled here.
 *
 * Connection pools, one per proxy and TLS configuration, shared by every
 * download for the life of the process, so keep-alive connections are reused
 * across segments and downloads of the same origin. undici never reuses a
 * connection that failed or whose body was not read to its end, and closes one
 * the server marked `Connection: close`. Idle connections close after a few
 * seconds (or the server's `Keep-Alive: timeout`); closeAllPools() ends them all.
 *
 * With no proxy configured, HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their
 * lower-case forms) decide, as curl and most tools do. A configured proxy is used
 * for both schemes and still honours NO_PROXY. HTTPS through a proxy is a CONNECT
 * tunnel: TLS runs end to end and certificates are checked against the site.
 * `socks5://` proxies work too (undici's SOCKS5 agent).
 */

export interface TlsOptions {
  /** Extra certificate authorities (PEM) to trust besides the system's. */
  ca?: string | string[];
}

const POOL_OPTIONS = {
  connections: MAX_CONNECTIONS_PER_ORIGIN,
  pipelining: 1,
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 60_000,
  connect: { timeout: 30_000 },
  headersTimeout: 0,
  bodyTimeout: 0,
  // Node's default, stated here rather than read from node:http (which the CLI's reactor bundle leaves out).
  maxHeaderSize: 16 * 1024,
} as const;

const pools = new Map<string, Dispatcher>();

/** The pooled dispatcher for `proxy` (null: from the environment). */
export function dispatcherFor(proxy: string | null, tls?: TlsOptions): Dispatcher {
  const environment = proxyEnvironment();
  const key = JSON.stringify([proxy, tls?.ca ?? null, proxy === null ? environment : null]);
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = createDispatcher(proxy, environment, tls);
    pools.set(key, pool);
  }
  return pool;
}

function createDispatcher(proxy: string | null, environment: ProxyEnvironment, tls: TlsOptions | undefined): Dispatcher {
  const connect = tls?.ca === undefined ? POOL_OPTIONS.connect : { ...POOL_OPTIONS.connect, ca: tls.ca };
  const options = { ...POOL_OPTIONS, connect };
  const httpProxy = proxy ?? environment.httpProxy;
  const httpsProxy = proxy ?? environment.httpsProxy;
  if (!httpProxy && !httpsProxy) return new Agent(options);
  return new EnvHttpProxyAgent({
    ...options,
    // An empty string tells undici "no proxy for this scheme" instead of reading the environment again.
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? '',
    noProxy: environment.noProxy ?? '',
    requestTls: connect,
    // Only for a proxy reached over TLS: undici's SOCKS5 agent takes any proxyTls as "wrap the proxy connection in TLS".
    ...([httpProxy, httpsProxy].some((url) => url?.startsWith('https:')) ? { proxyTls: connect } : {}),
    // Plain http goes to an http proxy as an absolute-URI request, as curl does (some proxies allow CONNECT only to 443).
    proxyTunnel: false,
  } as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
}

/**
 * Whether a request to a URL of `protocol` goes through undici rather than
 * straight to the server through Skein's own client (h1/direct.ts): when a
 * proxy applies (any proxy variable for the scheme: undici also applies
 * NO_PROXY), or when SKEIN_HTTP_CLIENT=undici asks for it, to tell a server
 * that trips up Skein's client from one that fails anyway.
 */
export function usesUndici(proxy: string | null, protocol: string): boolean {
  if (proxy !== null || process.env.SKEIN_HTTP_CLIENT === 'undici') return true;
  const environment = proxyEnvironment();
  return (protocol === 'https:' ? environment.httpsProxy : environment.httpProxy) !== null;
}

interface ProxyEnvironment {
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string | null;
}

function proxyEnvironment(): ProxyEnvironment {
  const read = (name: string): string | null => process.env[name.toLowerCase()] || process.env[name] || null;
  return { httpProxy: read('HTTP_PROXY'), httpsProxy: read('HTTPS_PROXY'), noProxy: read('NO_PROXY') };
}

/** Closes every pooled connection, direct ones too (engine shutdown, tests). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all([closeDirectConnections(), ...all.map((pool) => pool.close().catch(() => undefined))]);
}
