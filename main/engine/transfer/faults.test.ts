import { describe, expect, it } from 'vitest';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { patternBytes, sequence, startFaultServer } from '../../testing/fault-server.ts';
import { runTransfer } from './index.ts';
import { FAST_RETRY_TUNING, listFiles, makeJob, recordingCallbacks, serverAndFolder, sha256, sha256OfFile, unlimited } from './test-support.ts';
import { failure } from './test-expectations.ts';

const tuning = FAST_RETRY_TUNING;

describe('runTransfer: faults and retries', () => {
  const fixture = serverAndFolder();
  const signal = new AbortController().signal;
  const body = patternBytes(2 * 1024 * 1024 + 11);

  it('retries 503 and waits as long as Retry-After asks', async () => {
    fixture.server.route('/busy.bin', sequence({ status: 503, retryAfter: '1' }, { body }));
    const { callbacks, recorded } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/busy.bin'), fixture.directory.path), callbacks, unlimited(), signal, tuning);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(recorded.retries).toHaveLength(1);
    expect(recorded.retries[0]).toMatchObject({ attempt: 1, error: { code: C.httpStatus, status: 503 } });
    expect(recorded.retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    const [first, second] = fixture.server.requests('/busy.bin');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(recorded.states).toContain('retrying');
  });

  it('retries 429 and 408, and fails after the budget with the last error', async () => {
    fixture.server.route('/limited', sequence({ status: 429 }, { status: 408 }, { body }));
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/limited'), fixture.directory.path), callbacks, unlimited(), signal, tuning);
    expect(result.bytes).toBe(body.length);

    fixture.server.route('/down', { status: 502 });
    const error = await failure(runTransfer(makeJob(fixture.server.url('/down'), fixture.directory.path, { retryLimit: 2 }), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.httpStatus);
    expect(error.details.status).toBe(502);
    expect(fixture.server.requests('/down')).toHaveLength(3);
  });

  it('fails at once on 404, writes no file and keeps a message a person understands', async () => {
    fixture.server.route('/gone', { status: 404, body: '<html>error page</html>' });
    const { callbacks, recorded } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/gone'), fixture.directory.path), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.httpStatus);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('404');
    expect(fixture.server.requests('/gone')).toHaveLength(1);
    expect(recorded.retries).toHaveLength(0);
    expect(await listFiles(fixture.directory.path)).toEqual([]);
  });

  it('reports 416 for a probe no range can satisfy', async () => {
    fixture.server.route('/odd', { status: 416, headers: { 'Content-Range': 'bytes */500' } });
    const { callbacks } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/odd'), fixture.directory.path), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.rangeNotSatisfiable);
  });

  it('continues after the server closes mid-stream, fetching only the missing bytes', async () => {
    // Throttled, so the bytes before the drop are read (undici discards what it buffered when a body fails).
    fixture.server.route('/drop.bin', sequence({ body, dropAfter: 700_000, throttle: 2 * 1024 * 1024 }, { body }));
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/drop.bin'), fixture.directory.path), callbacks, unlimited(), signal, tuning);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    const second = fixture.server.requests('/drop.bin')[1];
    const offset = Number(/^bytes=(\d+)-/.exec(second?.headers.range ?? '')?.[1]);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(700_000);
    expect(second?.headers['if-range']).toMatch(/^"/);
  });

  it('retries a connection that drops before its body is read (no throttle), over one connection and over several', async () => {
    const small = patternBytes(300_000);
    for (const connections of [1, 4]) {
      const path = `/early-drop-${connections}.bin`;
      // Unthrottled, the drop reaches the client while the transfer is still busy with the headers (naming, the .part file).
      fixture.server.route(path, sequence({ body: small, dropAfter: 50_000 }, { body: small }));
      const { callbacks } = recordingCallbacks();
      let guard: ReturnType<typeof setTimeout> | undefined;
      // A hang fails here instead of timing out the test.
      const outcome = await Promise.race([
        runTransfer(makeJob(fixture.server.url(path), fixture.directory.path, { connections }), callbacks, unlimited(), signal, tuning),
        new Promise<string>((resolve) => (guard = setTimeout(() => resolve('still running after 5 s'), 5000))),
      ]);
      clearTimeout(guard);
      if (typeof outcome === 'string') throw new Error(`${connections} connection(s): ${outcome}`);
      expect(await sha256OfFile(outcome.filePath)).toBe(sha256(small));
      expect(fixture.server.requests(path).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('settles promptly when aborted while a dropped connection is being retried', async () => {
    const controller = new AbortController();
    const reason = new Error('paused');
    const pauseSoon = (): void => void setTimeout(() => controller.abort(reason), 50);
    // Whether the dropped connection's bytes were read decides how it is retried: at once on a new connection
    // (bytes came in) or after a backoff (none did). Either way the retry's request reaches the server.
    const dropThenSilent = sequence({ body, dropAfter: 50_000 }, { body, stallAfter: 0 });
    fixture.server.route('/drop-then-silent.bin', (request) => {
      if (request.index === 1) pauseSoon();
      return dropThenSilent(request);
    });
    const { callbacks } = recordingCallbacks();
    const startedAt = Date.now();
    const outcome = await Promise.race([
      runTransfer(makeJob(fixture.server.url('/drop-then-silent.bin'), fixture.directory.path), callbacks, unlimited(), controller.signal, tuning).catch((caught: unknown) => caught),
      new Promise((resolve) => setTimeout(() => resolve('still running after 3 s'), 3000)),
    ]);
    expect(outcome).toBe(reason);
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('fails with ERR_BODY_TOO_SHORT when every answer is shorter than its Content-Length', async () => {
    fixture.server.route('/short', { body, contentLength: body.length + 1000, acceptRanges: false });
    const { callbacks } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/short'), fixture.directory.path, { retryLimit: 1 }), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.bodyTooShort);
    expect(await listFiles(fixture.directory.path)).toEqual(['short.part']);
  });

  it('refuses a partial answer longer than its Content-Length', async () => {
    fixture.server.route('/long', { body, contentLength: body.length - 1000 });
    const { callbacks } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/long'), fixture.directory.path), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.bodyTooLong);
  });

  it('detects a stalled connection and retries it by itself', async () => {
    fixture.server.route('/stall.bin', sequence({ body, stallAfter: 100_000 }, { body }));
    const { callbacks, recorded } = recordingCallbacks();
    const startedAt = Date.now();
    const result = await runTransfer(makeJob(fixture.server.url('/stall.bin'), fixture.directory.path, { stallTimeoutMs: 500 }), callbacks, unlimited(), signal, tuning);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    // It had made progress, so it reconnected at once rather than failing.
    expect(fixture.server.requests('/stall.bin')).toHaveLength(2);
    expect(recorded.retries).toHaveLength(0);
  });

  it('fails with ERR_STALLED when the server never sends a byte, after its retries', async () => {
    fixture.server.route('/silent', { body, stallAfter: 0 });
    const { callbacks, recorded } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/silent'), fixture.directory.path, { stallTimeoutMs: 300, retryLimit: 1 }), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.stalled);
    expect(recorded.retries).toHaveLength(1);
  });

  it('keeps working with the connections a server allows when it refuses extra ones', async () => {
    const big = patternBytes(8 * 1024 * 1024);
    // Requests after the third get 503 until the first three finished: a per-client connection limit.
    fixture.server.route('/limit.bin', (request) => (request.index >= 3 && request.index < 8 ? { status: 503 } : { body: big }));
    const { callbacks } = recordingCallbacks();
    const result = await runTransfer(makeJob(fixture.server.url('/limit.bin'), fixture.directory.path, { connections: 8 }), callbacks, unlimited(), signal, tuning);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(big));
  });

  it('turns absurd response headers into clear protocol errors', async () => {
    const { callbacks } = recordingCallbacks();
    fixture.server.route('/bad-range', { status: 206, body: 'abc', headers: { 'Content-Range': 'bytes 0-2/zzz' } });
    expect((await failure(runTransfer(makeJob(fixture.server.url('/bad-range'), fixture.directory.path), callbacks, unlimited(), signal, tuning))).code).toBe(C.protocol);
    fixture.server.route('/wrong-start', { status: 206, body: 'abc', headers: { 'Content-Range': 'bytes 5-7/10' } });
    expect((await failure(runTransfer(makeJob(fixture.server.url('/wrong-start'), fixture.directory.path), callbacks, unlimited(), signal, tuning))).code).toBe(C.protocol);
    fixture.server.route('/huge-name', { body: 'x', contentDisposition: `attachment; filename="${'n'.repeat(5000)}.txt"` });
    const named = await runTransfer(makeJob(fixture.server.url('/huge-name'), fixture.directory.path), callbacks, unlimited(), signal, tuning);
    expect(Buffer.byteLength(named.fileName)).toBeLessThanOrEqual(255);
    expect(named.fileName.endsWith('.txt')).toBe(true);
  });

  it('never writes an error page into a partial file when a resume is refused', async () => {
    const throttledRun = new AbortController();
    fixture.server.route('/keep.bin', { body, throttle: 512 * 1024 });
    const first = recordingCallbacks({
      onCheckpoint: (segments) => {
        if (segments.some((segment) => segment.downloaded > 0)) throttledRun.abort(new Error('pause'));
      },
    });
    await runTransfer(makeJob(fixture.server.url('/keep.bin'), fixture.directory.path), first.callbacks, unlimited(), throttledRun.signal, tuning).catch(() => undefined);
    const partPath = `${fixture.directory.path}/keep.bin.part`;
    const before = await sha256OfFile(partPath);
    fixture.server.route('/keep.bin', { status: 403, body: '<html>link expired</html>' });
    const { callbacks } = recordingCallbacks();
    const resume = { metadata: first.recorded.metadata.at(-1)!, segments: first.recorded.checkpoints.at(-1)! };
    const error = await failure(runTransfer(makeJob(fixture.server.url('/keep.bin'), fixture.directory.path, { resume }), callbacks, unlimited(), signal, tuning));
    expect(error.details.status).toBe(403);
    expect(await sha256OfFile(partPath)).toBe(before);
  });

  it('refuses redirect loops and overlong redirect chains', async () => {
    fixture.server.route('/a', { redirect: '/b' });
    fixture.server.route('/b', { redirect: '/a' });
    const { callbacks } = recordingCallbacks();
    expect((await failure(runTransfer(makeJob(fixture.server.url('/a'), fixture.directory.path), callbacks, unlimited(), signal, tuning))).code).toBe(C.redirectLoop);
    for (let hop = 0; hop < 25; hop++) fixture.server.route(`/hop${hop}`, { redirect: `/hop${hop + 1}` });
    expect((await failure(runTransfer(makeJob(fixture.server.url('/hop0'), fixture.directory.path), callbacks, unlimited(), signal, tuning))).code).toBe(C.tooManyRedirects);
  });

  it('rejects bad input before any request: URL, scheme, folder, checksum, headers', async () => {
    const { callbacks } = recordingCallbacks();
    const run = (overrides: Parameters<typeof makeJob>[2], url = fixture.server.url('/x'), dir = fixture.directory.path) =>
      failure(runTransfer(makeJob(url, dir, overrides), callbacks, unlimited(), signal, tuning));
    expect((await run({}, 'not a url')).code).toBe(C.invalidUrl);
    expect((await run({}, 'ftp://127.0.0.1/file')).code).toBe(C.unsupportedScheme);
    expect((await run({}, 'file:///etc/passwd')).code).toBe(C.unsupportedScheme);
    expect((await run({}, fixture.server.url('/x'), `${fixture.directory.path}/does-not-exist`)).code).toBe(C.directoryMissing);
    expect((await run({ checksum: { algorithm: 'sha256', hex: 'abc' } })).code).toBe(C.invalidArgument);
    expect((await run({ headers: { 'X-Evil': 'a\r\nInjected: 1' } })).code).toBe(C.invalidArgument);
    expect((await run({ connections: 0 })).code).toBe(C.invalidArgument);
    expect(fixture.server.requests()).toHaveLength(0);
  });

  it('reports a refused connection and an unknown host with their own codes', async () => {
    const { callbacks } = recordingCallbacks();
    const closed = await startFaultServer();
    const port = closed.port;
    await closed.close();
    const refused = await failure(runTransfer(makeJob(`http://127.0.0.1:${port}/x`, fixture.directory.path, { retryLimit: 0 }), callbacks, unlimited(), signal, tuning));
    expect(refused.code).toBe(C.connectionRefused);
    const unknown = await failure(runTransfer(makeJob('http://no-such-host.invalid/x', fixture.directory.path, { retryLimit: 0 }), callbacks, unlimited(), signal, tuning));
    expect(unknown.code).toBe(C.hostNotFound);
  });
});
