import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { AppService } from '../app/service.ts';

/**
 * One page's end of the bridge: `{ id, name, input }` frames become
 * `service.handle(client, name, input)` calls (validated there, exactly as
 * for Electron's IPC), answered with `{ id, reply }`. Closing the page
 * releases its held results so a reload can re-attach by uid.
 * Returns the function that detaches the client.
 */
export function attachClient(ws: WebSocket, service: Pick<AppService, 'handle' | 'releaseClient'>): () => void {
  const client = `browser:${randomUUID()}`;
  let open = true;

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'Text frames only');
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      ws.close(1007, 'Not JSON');
      return;
    }
    const { id, name, input } = (frame ?? {}) as { id?: unknown; name?: unknown; input?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      ws.close(1008, 'A request needs a numeric id');
      return;
    }
    // Any name and input go to the service: it answers unknown or invalid ones with typed errors.
    void service.handle(client, name, input).then((reply) => {
      if (open && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, reply }));
    });
  });

  return () => {
    if (!open) return;
    open = false;
    service.releaseClient(client);
  };
}
