import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patternBytes } from '../../testing/fault-server.ts';
import { runTransfer } from './index.ts';
import { listFiles, makeJob, recordingCallbacks, serverAndFolder, sha256, sha256OfFile, unlimited } from './test-support.ts';

describe('runTransfer: downloading', () => {
  const fixture = serverAndFolder();
  const signal = new AbortController().signal;

  it('downloads a file over one connection, byte for byte, and leaves no .part behind', async () => {
    const body = patternBytes(3 * 1024 * 1024 + 17);
    fixture.server.route('/files/data.bin', { body });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/files/data.bin'), fixture.directory.path), callbacks, unlimited(), signal);
    expect(result.fileName).toBe('data.bin');
    expect(result.filePath).toBe(join(fixture.directory.path, 'data.bin'));
    expect(result.bytes).toBe(body.length);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(await listFiles(fixture.directory.path)).toEqual(['data.bin']);
    expect(recorded.metadata[0]).toMatchObject({ totalBytes: body.length, acceptsRanges: true, etag: expect.stringMatching(/^"/) });
    expect(recorded.states).toEqual(['connecting', 'downloading']);
    // The final checkpoint claims every byte.
    const last = recorded.checkpoints.at(-1) ?? [];
    expect(last.reduce((sum, segment) => sum + segment.downloaded, 0)).toBe(body.length);
  });

  it('splits a file across 8 connections that each ask for their own range', async () => {
    const body = patternBytes(16 * 1024 * 1024 + 5);
    fixture.server.route('/big.bin', { body });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/big.bin'), fixture.directory.path, { connections: 8 }), callbacks, unlimited(), signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(fixture.server.connectionCount('/big.bin')).toBeGreaterThanOrEqual(8);
    const ranges = fixture.server.requests('/big.bin').map((request) => request.headers.range);
    expect(ranges[0]).toBe('bytes=0-');
    expect(ranges.filter((range) => range !== undefined && range !== 'bytes=0-').length).toBeGreaterThanOrEqual(7);
    expect(recorded.metadata[0]?.acceptsRanges).toBe(true);
  });

  it('fetches a file too small to split with one request on one connection, however many connections are allowed', async () => {
    const body = patternBytes(1024 * 1024);
    fixture.server.route('/small.bin', { body });
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/small.bin'), fixture.directory.path, { connections: 8 }), callbacks, unlimited(), signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(fixture.server.requests('/small.bin').map((request) => request.headers.range)).toEqual(['bytes=0-']);
    expect(fixture.server.connectionCount('/small.bin')).toBe(1);
  });

  it('lets a fast connection take over half of a slow one, so the slow one does not hold the finish back', async () => {
    const body = patternBytes(4 * 1024 * 1024);
    // Connection-dependent speed: the first range request after the probe is throttled hard.
    fixture.server.route('/uneven.bin', (request) => (request.index === 1 ? { body, throttle: 256 * 1024 } : { body }));
    const { callbacks } = recordingCallbacks();
    const startedAt = Date.now();
    const result = await runTransfer(makeJob(fixture.server.url('/uneven.bin'), fixture.directory.path, { connections: 4 }), callbacks, unlimited(), signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    // Its 1 MiB segment alone would take 4 s at 256 KiB/s; stealing halves keep taking it away.
    expect(Date.now() - startedAt).toBeLessThan(3500);
    // The probe and three ranges, plus at least one request for a stolen half.
    expect(fixture.server.requests('/uneven.bin').length).toBeGreaterThan(4);
  });

  it('falls back to one connection when the server answers 200 to a range request, without splicing', async () => {
    const body = patternBytes(6 * 1024 * 1024);
    fixture.server.route('/norange.bin', { body, ignoreRange: true });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/norange.bin'), fixture.directory.path, { connections: 8 }), callbacks, unlimited(), signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(fixture.server.requests('/norange.bin')).toHaveLength(1);
    expect(recorded.metadata[0]?.acceptsRanges).toBe(false);
  });

  it('downloads a body of unknown length (no Content-Length) to its end', async () => {
    const body = patternBytes(300_000);
    fixture.server.route('/stream', { body, contentLength: 'none', acceptRanges: false });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/stream'), fixture.directory.path, { connections: 4 }), callbacks, unlimited(), signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(result.bytes).toBe(body.length);
    expect(recorded.metadata[0]?.totalBytes).toBeNull();
    expect(recorded.metadata.at(-1)?.totalBytes).toBe(body.length);
  });

  it('saves a zero-length file', async () => {
    fixture.server.route('/empty.txt', { body: new Uint8Array(0) });
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/empty.txt'), fixture.directory.path, { connections: 8 }), callbacks, unlimited(), signal);
    expect(result.bytes).toBe(0);
    expect((await readFile(result.filePath)).length).toBe(0);
    expect(await listFiles(fixture.directory.path)).toEqual(['empty.txt']);
  });

  it('names the file from Content-Disposition, never from a path in it, and never overwrites', async () => {
    await writeFile(join(fixture.directory.path, 'passwd'), 'mine');
    fixture.server.route('/dl', { body: 'new content', contentDisposition: 'attachment; filename="../../etc/passwd"' });
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/dl'), fixture.directory.path), callbacks, unlimited(), signal);
    expect(result.fileName).toBe('passwd (1)');
    expect(await readFile(join(fixture.directory.path, 'passwd'), 'utf8')).toBe('mine');
    expect(await readFile(result.filePath, 'utf8')).toBe('new content');
  });

  it('reads a UTF-8 filename* and raw UTF-8 bytes in filename', async () => {
    fixture.server.route('/a', { body: 'a', contentDisposition: "attachment; filename=\"fallback.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt" });
    fixture.server.route('/b', { body: 'b', contentDisposition: Uint8Array.from([...Buffer.from('attachment; filename="na'), 0xc3, 0xaf, ...Buffer.from('ve.txt"')]) });
    const { callbacks } = recordingCallbacks();
    expect((await runTransfer(makeJob(fixture.server.url('/a'), fixture.directory.path), callbacks, unlimited(), signal)).fileName).toBe('résumé €.txt');
    expect((await runTransfer(makeJob(fixture.server.url('/b'), fixture.directory.path), callbacks, unlimited(), signal)).fileName).toBe('naïve.txt');
  });

  it('names a file from the final URL after redirects, with an extension from Content-Type', async () => {
    fixture.server.route('/go', { redirect: '/download' });
    fixture.server.route('/download', { body: '%PDF-1.7', contentType: 'application/pdf' });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/go?id=3'), fixture.directory.path), callbacks, unlimited(), signal);
    expect(result.fileName).toBe('download.pdf');
    expect(recorded.metadata[0]?.finalUrl).toBe(fixture.server.url('/download'));
  });

  it('sends the job headers, cookies, user agent and referer with every request', async () => {
    fixture.server.route('/h.bin', { body: patternBytes(3 * 1024 * 1024) });
    const { callbacks } = recordingCallbacks();
    await runTransfer(
      makeJob(fixture.server.url('/h.bin'), fixture.directory.path, {
        connections: 2,
        headers: { 'X-Token': 'abc', Range: 'bytes=5-' },
        cookies: 'session=1',
        userAgent: 'TestAgent/1',
        referer: 'http://example.test/page',
      }),
      callbacks,
      unlimited(),
      signal,
    );
    for (const request of fixture.server.requests('/h.bin')) {
      expect(request.headers).toMatchObject({ 'x-token': 'abc', cookie: 'session=1', 'user-agent': 'TestAgent/1', referer: 'http://example.test/page', 'accept-encoding': 'identity' });
      expect(request.headers.range).not.toBe('bytes=5-');
    }
  });
});
