import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMemoryTransportPair } from '../../shared/reactor/memory-transport.ts';
import type { ReactorSpawner } from '../../shared/reactor/protocol.ts';
import { serveReactor } from '../../shared/reactor/server.ts';

/** A "reactor process" inside this one, for noSetup(): same protocol, same cloning, no process. */
export function inProcessSpawner(): ReactorSpawner {
  return () => {
    const pair = createMemoryTransportPair();
    serveReactor(pair.endpoint, {
      load: (module) => {
        if (!isAbsolute(module)) return Promise.reject(new Error(`the module path must be absolute, got "${module}"`));
        return import(pathToFileURL(module).href) as Promise<Record<string, unknown>>;
      },
      exit: (code) => pair.exit({ code, reason: `exit code ${code}` }),
    });
    return pair.transport;
  };
}
