import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DOWNLOAD_ERROR_CODES as C, DownloadError } from '../../../shared/download/errors.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { buildRequestHeaders } from '../http/headers.ts';
import { closeBody, openRequest } from '../http/request.ts';
import { TokenBucket } from '../policy/rate-limiter.ts';
import { consume } from './consume.ts';
import { PartFile } from './part-file.ts';
import { pumpBody, type PumpOptions, type Reader } from './segment-pump.ts';
import { tempDirectory } from './test-support.ts';

/**
 * The response lifecycle on real sockets: bodies that fail, end or are closed
 * before anyone reads them must settle the reader at once, never leave it waiting
 * for events that have already fired.
 */

const never = new AbortController().signal;

async function open(server: FaultServer, path: string, signal = never): Promise<Readable> {
  const response = await openRequest({ url: server.url(path), headers: buildRequestHeaders({}), proxy: null, signal, headersTimeoutMs: 5000 });
  return response.body;
}

/** Waits (up to 2 s) until `check` holds: the body's fate is sealed before the reader arrives. */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 2000) throw new Error('the body never reached the expected state');
    await sleep(10);
  }
}

/** Rejects when `promise` has not settled within `ms`: a hang shows up as a failure, not a test timeout. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`still pending after ${ms} ms`)))]);
}

describe('consume: bodies that settled before they were read', () => {
  let server: FaultServer;
  const body = patternBytes(300_000);

  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('rejects with the network error of a connection that dropped before the first read', async () => {
    server.route('/drop', { body, dropAfter: 50_000 });
    const stream = await open(server, '/drop');
    // The server has dropped it by now; undici notices at once, Skein's own client when it reads.
    await sleep(100);
    const error = await settlesWithin(consume(stream, () => true), 1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/still pending/);
  });

  it('rejects a body that was closed before the first read as a premature close', async () => {
    server.route('/whole', { body });
    const stream = await open(server, '/whole');
    closeBody(stream);
    await until(() => stream.closed);
    const error = await settlesWithin(consume(stream, () => true), 1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/still pending/);
  });

  it('still reads every byte of a small body that arrived in full before the first read', async () => {
    server.route('/small', { body: body.subarray(0, 1000) });
    const stream = await open(server, '/small');
    await sleep(50);
    let received = 0;
    await settlesWithin(
      consume(stream, (chunk) => {
        received += chunk.byteLength;
        return true;
      }),
      1000,
    );
    expect(received).toBe(1000);
  });
});

describe('pumpBody: stopping', () => {
  let server: FaultServer;
  let directory: { path: string; remove(): Promise<void> };
  let file: PartFile;
  const body = patternBytes(1024 * 1024);

  beforeEach(async () => {
    server = await startFaultServer();
    directory = await tempDirectory();
    file = await PartFile.open(join(directory.path, 'f.part'));
  });
  afterEach(async () => {
    await file.close();
    await server.close();
    await directory.remove();
  });

  const reader = (): Reader => ({ segment: { start: 0, end: body.length, downloaded: 0, state: 'active' }, received: 0, lastActivityAt: performance.now(), heldBack: false });
  const options = (signal: AbortSignal, extra: Partial<PumpOptions> = {}): PumpOptions => ({
    file,
    limiters: [new TokenBucket(0), new TokenBucket(0)],
    signal,
    batchBytes: 256 * 1024,
    expectedBodyBytes: body.length,
    url: server.url('/f'),
    ...extra,
  });

  it('stops at once with a signal that was aborted before it started, even on a silent server', async () => {
    server.route('/silent', { body, stallAfter: 10_000 });
    const stream = await open(server, '/silent');
    const controller = new AbortController();
    const reason = new Error('paused');
    controller.abort(reason);
    const error = await settlesWithin(pumpBody(stream, reader(), options(controller.signal)), 1000).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(stream.destroyed).toBe(true);
  });

  it('reports a connection that dropped before the first read as a retryable reset', async () => {
    server.route('/drop', { body, dropAfter: 50_000 });
    const stream = await open(server, '/drop');
    // The server has dropped it by now; undici notices at once, Skein's own client when it reads.
    await sleep(100);
    const error = await settlesWithin(pumpBody(stream, reader(), options(never)), 1000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).code).toBe(C.connectionReset);
    expect((error as DownloadError).retryable).toBe(true);
  });

  it('writes what it kept before an abort, and claims only what is written', async () => {
    server.route('/slow', { body, throttle: 512 * 1024 });
    const stream = await open(server, '/slow');
    const controller = new AbortController();
    const state = reader();
    // A batch far larger than what arrives before the abort: nothing would be written without the final flush.
    const pumping = pumpBody(stream, state, options(controller.signal, { batchBytes: 4 * 1024 * 1024 }));
    await until(() => state.received >= 100 * 1024);
    controller.abort(new Error('paused'));
    await pumping.catch(() => undefined);
    expect(state.segment.downloaded).toBe(state.received);
    const onDisk = await readFile(file.path);
    expect(Buffer.from(onDisk.subarray(0, state.segment.downloaded)).equals(Buffer.from(body.subarray(0, state.segment.downloaded)))).toBe(true);
  });

  it('keeps a limited body in small slices: the first bytes come at once, not after a whole socket read is paid for', async () => {
    server.route('/limited', { body });
    const stream = await open(server, '/limited');
    const controller = new AbortController();
    const state = reader();
    const startedAt = performance.now();
    // 20 KiB/s: a 64 KiB read taken whole would wait about 2.4 s for its debt (the bucket holds 16 KiB).
    const pumping = pumpBody(stream, state, options(controller.signal, { limiters: [new TokenBucket(20 * 1024), new TokenBucket(0)] }));
    await until(() => state.received > 0);
    const firstAfterMs = performance.now() - startedAt;
    await sleep(1000);
    const afterOneSecond = state.received;
    controller.abort(new Error('stop'));
    await pumping.catch(() => undefined);
    expect(firstAfterMs).toBeLessThan(500);
    // The 16 KiB burst plus about a second at 20 KiB/s, give or take a slice.
    expect(afterOneSecond).toBeGreaterThanOrEqual(24 * 1024);
    expect(afterOneSecond).toBeLessThanOrEqual(48 * 1024);
  });
});
