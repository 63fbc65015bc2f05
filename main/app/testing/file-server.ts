/**
 * A local file server for the service and Electron tests: deterministic bytes, Range
 * support, and an optional rate limit so a download lasts long enough to be
 * cancelled, reloaded or have its reactor killed mid-way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestFile {
  size: number;
  /** Bytes per second; 0 sends as fast as possible. */
  rate: number;
}

export function fileBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

export async function startTestServer(files: Record<string, TestFile>): Promise<{ url(name: string): string; close(): Promise<void> }> {
  const bodies = new Map(Object.entries(files).map(([name, file]) => [`/${name}`, { ...file, bytes: fileBytes(file.size) }]));
  const server: Server = createServer((request, response) => {
    const file = bodies.get(request.url ?? '');
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    let start = 0;
    let end = file.size - 1;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), end) : end;
      response.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes', ETag: '"v1"' });
    } else {
      response.writeHead(200, { 'Content-Length': file.size, 'Accept-Ranges': 'bytes', ETag: '"v1"', 'Content-Type': 'application/octet-stream' });
    }
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const chunk = 16 * 1024;
    let offset = start;
    const pump = (): void => {
      if (response.destroyed) return;
      if (offset > end) {
        response.end();
        return;
      }
      const next = Math.min(end + 1, offset + chunk);
      response.write(file.bytes.subarray(offset, next));
      offset = next;
      setTimeout(pump, file.rate > 0 ? (chunk / file.rate) * 1000 : 0);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
