/**
 * The reactor process: started by setup() as an Electron utility process or a
 * Node child process; it loads the reactor module and serves calls until told
 * to stop or until its parent goes away.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type { HostMessage, ReactorEndpoint, ReactorMessage } from '../../shared/reactor/protocol.ts';
import { serveReactor } from '../../shared/reactor/server.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connectToParent(): ReactorEndpoint | null {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message: ReactorMessage) => parentPort.postMessage(message),
      onMessage: (listener) => {
        const handler = (event: { data: unknown }): void => listener(event.data as HostMessage);
        parentPort.on('message', handler);
        return () => parentPort.off('message', handler);
      },
    };
  }
  const send = process.send?.bind(process);
  if (!send) return null;
  // The host is gone: nobody can read our results, and nobody would stop us.
  process.on('disconnect', () => process.exit(0));
  return {
    send: (message: ReactorMessage) => {
      send(message);
    },
    onMessage: (listener) => {
      const handler = (message: unknown): void => listener(message as HostMessage);
      process.on('message', handler);
      return () => process.off('message', handler);
    },
  };
}

const endpoint = connectToParent();
if (!endpoint) {
  console.error('skein: the reactor entry must be started by setup() from main/reactor (it needs an IPC channel)');
  process.exit(2);
}

serveReactor(endpoint, {
  load: (module) => {
    if (!isAbsolute(module)) return Promise.reject(new Error(`the module path must be absolute, got "${module}"`));
    return import(pathToFileURL(module).href) as Promise<Record<string, unknown>>;
  },
  exit: (code) => {
    // Give the last message a turn to leave before the process ends.
    setImmediate(() => process.exit(code));
  },
});
