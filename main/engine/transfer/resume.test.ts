import { describe, expect, it } from 'vitest';
import { readFile, rm, stat } from 'node:fs/promises';
import { patternBytes, type RouteSpec } from '../../testing/fault-server.ts';
import { TokenBucket } from '../policy/rate-limiter.ts';
import { runTransfer } from './index.ts';
import { listFiles, makeJob, recordingCallbacks, serverAndFolder, sha256, sha256OfFile, type Recorded, unlimited } from './test-support.ts';
import type { ResumeState } from './types.ts';

/** Runs a download until `stopAfterBytes` are checkpointed, then aborts it; returns what a store would have kept. */
async function interrupted(url: string, directory: string, connections: number, stopAfterBytes: number): Promise<{ resume: ResumeState; recorded: Recorded; error: unknown }> {
  const controller = new AbortController();
  const reason = new Error('paused by the test');
  const { callbacks, recorded } = recordingCallbacks({
    onCheckpoint: (segments) => {
      if (segments.reduce((sum, segment) => sum + segment.downloaded, 0) >= stopAfterBytes) controller.abort(reason);
    },
  });
  const error = await runTransfer(makeJob(url, directory, { connections }), callbacks, unlimited(), controller.signal).catch((caught: unknown) => caught);
  expect(error).toBe(reason);
  const metadata = recorded.metadata.at(-1);
  const segments = recorded.checkpoints.at(-1);
  if (!metadata || !segments) throw new Error('no metadata or checkpoint before the abort');
  // The test is about resuming: the first run must have stopped part way.
  expect(segments.reduce((sum, segment) => sum + segment.downloaded, 0)).toBeLessThan(metadata.totalBytes ?? 0);
  return { resume: { metadata, segments }, recorded, error };
}

describe('runTransfer: resume', () => {
  const fixture = serverAndFolder();
  const body = patternBytes(4 * 1024 * 1024);
  const throttled: RouteSpec = { body, throttle: 128 * 1024 };

  it('continues from the bytes on disk with If-Range carrying the strong ETag', async () => {
    fixture.server.route('/r.bin', throttled);
    const { resume } = await interrupted(fixture.server.url('/r.bin'), fixture.directory.path, 2, 64 * 1024);
    expect(await listFiles(fixture.directory.path)).toEqual(['r.bin.part']);
    const done = resume.segments.reduce((sum, segment) => sum + segment.downloaded, 0);
    expect(done).toBeGreaterThan(0);

    fixture.server.route('/r.bin', { body });
    const before = fixture.server.requests('/r.bin').length;
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/r.bin'), fixture.directory.path, { connections: 2, resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(recorded.restarts).toBe(0);
    const resumed = fixture.server.requests('/r.bin').slice(before);
    expect(resumed[0]?.headers['if-range']).toBe(resume.metadata.etag);
    expect(resumed[0]?.headers.range).not.toBe('bytes=0-');
    // Only the missing bytes were fetched again.
    const firstOffset = Number(/bytes=(\d+)-/.exec(resumed[0]?.headers.range ?? '')?.[1]);
    expect(firstOffset).toBeGreaterThan(0);
  });

  it('uses Last-Modified for If-Range when the server sends no ETag', async () => {
    fixture.server.route('/lm.bin', { ...throttled, etag: null });
    const { resume } = await interrupted(fixture.server.url('/lm.bin'), fixture.directory.path, 1, 64 * 1024);
    expect(resume.metadata.etag).toBeNull();
    fixture.server.route('/lm.bin', { body, etag: null });
    const before = fixture.server.requests('/lm.bin').length;
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/lm.bin'), fixture.directory.path, { resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(fixture.server.requests('/lm.bin')[before]?.headers['if-range']).toBe(resume.metadata.lastModified);
  });

  it('starts over from zero, and says so, when the file changed on the server', async () => {
    fixture.server.route('/c.bin', throttled);
    const { resume } = await interrupted(fixture.server.url('/c.bin'), fixture.directory.path, 4, 64 * 1024);
    const changed = patternBytes(3 * 1024 * 1024 + 3, 99);
    fixture.server.route('/c.bin', { body: changed });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/c.bin'), fixture.directory.path, { connections: 4, resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(changed));
    expect(recorded.restarts).toBe(1);
    // The store heard "nothing on disk" before any byte of the new version was claimed.
    expect(recorded.checkpoints[0]).toEqual([]);
    expect(recorded.metadata.at(-1)?.etag).not.toBe(resume.metadata.etag);
    expect(result.fileName).toBe('c.bin');
  });

  it('starts over when a server without validators now sends a different size', async () => {
    fixture.server.route('/n.bin', { ...throttled, etag: null, lastModified: null });
    const { resume } = await interrupted(fixture.server.url('/n.bin'), fixture.directory.path, 1, 64 * 1024);
    const changed = patternBytes(2 * 1024 * 1024, 5);
    fixture.server.route('/n.bin', { body: changed, etag: null, lastModified: null });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/n.bin'), fixture.directory.path, { resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(changed));
    expect(recorded.restarts).toBe(1);
  });

  it('stops every connection promptly on abort and keeps a .part that resumes correctly', async () => {
    fixture.server.route('/slow.bin', { body, throttle: 256 * 1024 });
    const controller = new AbortController();
    const { callbacks, recorded } = recordingCallbacks();
    const running = runTransfer(makeJob(fixture.server.url('/slow.bin'), fixture.directory.path, { connections: 4 }), callbacks, unlimited(), controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const abortedAt = Date.now();
    const reason = new Error('cancelled by the test');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    const metadata = recorded.metadata.at(-1);
    const segments = recorded.checkpoints.at(-1);
    expect(segments?.some((segment) => segment.downloaded > 0)).toBe(true);
    // The .part holds every byte the last checkpoint claims (a resume trusts no more than the file has).
    const part = await stat(`${fixture.directory.path}/slow.bin.part`);
    expect(part.size).toBeGreaterThanOrEqual(Math.max(...segments!.map((segment) => segment.start + segment.downloaded)));

    fixture.server.route('/slow.bin', { body });
    const again = recordingCallbacks();
    const result = await runTransfer(
      makeJob(fixture.server.url('/slow.bin'), fixture.directory.path, { connections: 4, resume: { metadata: metadata!, segments: segments! } }),
      again.callbacks,
      unlimited(),
      new AbortController().signal,
    );
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
  });

  it('writes what it received before a pause: the last checkpoint claims it, and only bytes that are on disk', async () => {
    for (const [connections, limited] of [[1, false], [4, false], [2, true]] as const) {
      const path = `/pause-${connections}-${limited}.bin`;
      fixture.server.route(path, limited ? { body } : { body, throttle: 1024 * 1024 });
      const controller = new AbortController();
      let receivedAtAbort = 0;
      const { callbacks, recorded } = recordingCallbacks({
        // Progress counts bytes received, written or not: stop while a write batch is still filling.
        onProgress: (bytes) => {
          if (bytes < 300 * 1024 || controller.signal.aborted) return;
          receivedAtAbort = bytes;
          controller.abort(new Error('paused'));
        },
      });
      const limiters = limited ? { global: new TokenBucket(0), own: new TokenBucket(1024 * 1024) } : unlimited();
      await runTransfer(makeJob(fixture.server.url(path), fixture.directory.path, { connections }), callbacks, limiters, controller.signal).catch(() => undefined);
      const last = recorded.checkpoints.at(-1) ?? [];
      expect(last.reduce((sum, segment) => sum + segment.downloaded, 0)).toBeGreaterThanOrEqual(receivedAtAbort);
      const onDisk = await readFile(`${fixture.directory.path}${path}.part`);
      for (const segment of last) {
        const claimed = (bytes: Uint8Array): Buffer => Buffer.from(bytes.subarray(segment.start, segment.start + segment.downloaded));
        expect(claimed(onDisk).equals(claimed(body))).toBe(true);
      }
    }
  });

  it('keeps the bytes when a refreshed URL serves the same file (the engine\'s "refresh URL")', async () => {
    fixture.server.route('/expired.bin', throttled);
    const { resume } = await interrupted(fixture.server.url('/expired.bin'), fixture.directory.path, 2, 64 * 1024);
    fixture.server.route('/expired.bin', { status: 403 });
    fixture.server.route('/fresh.bin', { body });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/fresh.bin?token=new'), fixture.directory.path, { connections: 2, resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(recorded.restarts).toBe(0);
    expect(result.fileName).toBe('expired.bin');
    // The bytes on disk were never discarded, and the first request continues a stored segment.
    expect(recorded.checkpoints.some((segments) => segments.length === 0)).toBe(false);
    const first = fixture.server.requests('/fresh.bin')[0];
    expect(first?.headers['if-range']).toBe(resume.metadata.etag);
    const start = Number(/^bytes=(\d+)-/.exec(first?.headers.range ?? '')?.[1]);
    expect(resume.segments.map((segment) => segment.start + segment.downloaded)).toContain(start);
  });

  it('leaves no orphan .part when stopped before the store heard of the download', async () => {
    fixture.server.route('/early.bin', { body });
    const controller = new AbortController();
    const reason = new Error('cancelled early');
    const { callbacks } = recordingCallbacks({
      onMetadata: async () => {
        controller.abort(reason);
        throw reason;
      },
    });
    await expect(runTransfer(makeJob(fixture.server.url('/early.bin'), fixture.directory.path), callbacks, unlimited(), controller.signal)).rejects.toBe(reason);
    expect(await listFiles(fixture.directory.path)).toEqual([]);
  });

  it('starts over when the .part file is gone or shorter than the bytes it should hold', async () => {
    fixture.server.route('/lost.bin', throttled);
    const { resume } = await interrupted(fixture.server.url('/lost.bin'), fixture.directory.path, 2, 64 * 1024);
    await rm(`${fixture.directory.path}/lost.bin.part`);
    fixture.server.route('/lost.bin', { body });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/lost.bin'), fixture.directory.path, { connections: 2, resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(result.fileName).toBe('lost.bin');
    expect(recorded.checkpoints[0]).toEqual([]);
  });

  it('starts over (without claiming a change) when the server stopped honouring ranges', async () => {
    fixture.server.route('/ig.bin', throttled);
    const { resume } = await interrupted(fixture.server.url('/ig.bin'), fixture.directory.path, 1, 64 * 1024);
    fixture.server.route('/ig.bin', { body, ignoreRange: true });
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/ig.bin'), fixture.directory.path, { connections: 4, resume }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(recorded.restarts).toBe(0);
    expect(recorded.metadata.at(-1)?.acceptsRanges).toBe(false);
  });
});
