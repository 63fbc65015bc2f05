import { describe, expect, it, type TestContext } from 'vitest';
import { patternBytes, startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { TokenBucket } from '../policy/rate-limiter.ts';
import { coversExactly } from '../policy/segments.ts';
import { runTransfer } from './index.ts';
import { makeJob, recordingCallbacks, sha256, sha256OfFile, tempDirectory, unlimited } from './test-support.ts';

// Adaptive connection growth against servers that throttle each connection. The tests
// mostly wait on the throttle, so they run side by side, each with its own server.

const SIZE = 2_000_000;
const PER_CONNECTION_RATE = 64 * 1024;
/** What one connection alone needs for the file: about 30.5 s. */
const ONE_CONNECTION_MS = (SIZE / PER_CONNECTION_RATE) * 1000;
const body = patternBytes(SIZE, 3);

/** A server and a folder for one test, removed when it finishes (its own context: the tests run side by side). */
async function setUp({ onTestFinished }: TestContext): Promise<{ server: FaultServer; directory: string }> {
  const server = await startFaultServer();
  const directory = await tempDirectory('skein-growth-');
  onTestFinished(async () => {
    await server.close();
    await directory.remove();
  });
  return { server, directory: directory.path };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe.concurrent('runTransfer: adaptive connection growth', () => {
  it('opens most of its connections for a small file on a server that throttles each one, and gets every byte right', async (context) => {
    const { server, directory } = await setUp(context);
    server.route('/throttled.bin', { body, throttle: PER_CONNECTION_RATE });
    const { callbacks, recorded } = recordingCallbacks();
    const startedAt = Date.now();
    const result = await runTransfer(makeJob(server.url('/throttled.bin'), directory, { connections: 8 }), callbacks, unlimited(), new AbortController().signal);
    const elapsedMs = Date.now() - startedAt;
    expect(result.bytes).toBe(SIZE);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    // The probe, then one range request per added connection, each for a different part of the file. At
    // 64 KiB/s a connection's minimum piece is 96 KiB, not 256 KiB: the file has room for all eight (with
    // 256 KiB pieces it stopped at four).
    const ranges = server.requests('/throttled.bin').map((request) => request.headers.range);
    expect(ranges[0]).toBe('bytes=0-');
    expect(ranges.length).toBeGreaterThanOrEqual(6);
    expect(new Set(ranges).size).toBe(ranges.length);
    expect(server.connectionCount('/throttled.bin')).toBeGreaterThanOrEqual(6);
    const last = recorded.checkpoints.at(-1) ?? [];
    expect(last.length).toBeGreaterThanOrEqual(6);
    expect(coversExactly(last, SIZE)).toBe(true);
    expect(last.every((segment) => segment.end !== null && segment.downloaded === segment.end - segment.start)).toBe(true);
    // Far faster than its one connection could: about 6.5 s here, 8.8 s with four connections (a loose
    // bound, this is not a benchmark).
    expect(elapsedMs).toBeLessThan(ONE_CONNECTION_MS * 0.4);
  });

  it('keeps a fast small file on one connection and one request', async (context) => {
    const { server, directory } = await setUp(context);
    server.route('/fast.bin', { body });
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(server.url('/fast.bin'), directory, { connections: 8 }), callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(server.requests('/fast.bin').map((request) => request.headers.range)).toEqual(['bytes=0-']);
    expect(server.connectionCount('/fast.bin')).toBe(1);
  });

  it('opens no more connections when the user’s speed limit, not the server, is what is slow', async (context) => {
    const { server, directory } = await setUp(context);
    server.route('/limited.bin', { body });
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const { callbacks } = recordingCallbacks();
    const limiters = { global: new TokenBucket(0), own: new TokenBucket(128 * 1024) };
    const running = runTransfer(makeJob(server.url('/limited.bin'), directory, { connections: 8 }), callbacks, limiters, controller.signal);
    // Past the warm-up and several growth steps: a slow download would have grown by now.
    await sleep(2200);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(server.requests('/limited.bin')).toHaveLength(1);
  });

  it('stops growing when the server refuses a connection', async (context) => {
    const { server, directory } = await setUp(context);
    // A per-client limit of one connection: every request after the probe gets 503.
    server.route('/one-only.bin', (request) => (request.index === 0 ? { body, throttle: PER_CONNECTION_RATE } : { status: 503 }));
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const { callbacks } = recordingCallbacks();
    const running = runTransfer(makeJob(server.url('/one-only.bin'), directory, { connections: 8 }), callbacks, unlimited(), controller.signal);
    // Growth tries once (after about a second); without the ceiling it would try again every half second.
    await sleep(2700);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(server.requests('/one-only.bin').map((request) => request.index)).toEqual([0, 1]);
  });

  it('stops every connection on abort, the added ones too, and leaves a plan that resumes to the right bytes', async (context) => {
    const { server, directory } = await setUp(context);
    server.route('/paused.bin', { body, throttle: PER_CONNECTION_RATE });
    const controller = new AbortController();
    const reason = new Error('paused by the test');
    const { callbacks, recorded } = recordingCallbacks();
    const running = runTransfer(makeJob(server.url('/paused.bin'), directory, { connections: 8 }), callbacks, unlimited(), controller.signal);
    await until(() => server.requests('/paused.bin').length >= 3, 8000);
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    // No connection is added after the abort.
    const requestsAtAbort = server.requests('/paused.bin').length;
    await sleep(700);
    expect(server.requests('/paused.bin')).toHaveLength(requestsAtAbort);

    const metadata = recorded.metadata.at(-1);
    const segments = recorded.checkpoints.at(-1);
    if (!metadata || !segments) throw new Error('no metadata or checkpoint before the abort');
    expect(coversExactly(segments, SIZE)).toBe(true);
    server.route('/paused.bin', { body });
    const again = recordingCallbacks();
    const job = makeJob(server.url('/paused.bin'), directory, { connections: 8, resume: { metadata, segments } });
    const result = await runTransfer(job, again.callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
  });
});
