import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { patternBytes } from '../../testing/fault-server.ts';
import { runTransfer } from './index.ts';
import { FAST_RETRY_TUNING, listFiles, makeJob, recordingCallbacks, serverAndFolder, sha256, sha256OfFile, unlimited } from './test-support.ts';
import { failure } from './test-expectations.ts';

/**
 * A server that sends more than its Content-Length announced: undici stops at
 * the announced end and drops the rest without a word, so the transfer asks
 * the connection once each body has ended (see http/overrun.ts).
 */

const tuning = FAST_RETRY_TUNING;

describe('runTransfer: a body longer than its Content-Length', () => {
  const fixture = serverAndFolder();
  const signal = new AbortController().signal;
  const body = patternBytes(2 * 1024 * 1024 + 11);

  it('fails a 200 that goes on past its Content-Length, at once, with no final file and no byte past the end', async () => {
    fixture.server.route('/whole.bin', { body, acceptRanges: false, extraBytes: 20 });
    const { callbacks, recorded } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/whole.bin'), fixture.directory.path), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.bodyTooLong);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`20 bytes more than the ${body.length} of its Content-Length`);
    expect(fixture.server.requests('/whole.bin')).toHaveLength(1);
    expect(await listFiles(fixture.directory.path)).toEqual(['whole.bin.part']);
    const part = await readFile(`${fixture.directory.path}/whole.bin.part`);
    expect(part.length).toBe(body.length);
    expect(sha256(part)).toBe(sha256(body));
    // The bytes are on disk but not claimed: nothing resumes from an answer that was not what it said.
    expect(recorded.checkpoints.at(-1)?.every((segment) => segment.downloaded === 0)).toBe(true);
  });

  it('counts the surplus of a 200 on a connection the server closes', async () => {
    fixture.server.route('/closing.bin', { body, acceptRanges: false, extraBytes: 20, headers: { Connection: 'close' } });
    const { callbacks } = recordingCallbacks();
    const error = await failure(runTransfer(makeJob(fixture.server.url('/closing.bin'), fixture.directory.path), callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.bodyTooLong);
    expect(error.details).toMatchObject({ expected: body.length, extraBytes: 20 });
    expect(error.message).toContain(`20 bytes more than the ${body.length} of its Content-Length`);
    expect(await listFiles(fixture.directory.path)).toEqual(['closing.bin.part']);
  });

  it('fails a ranged download when one 206 runs long, and a resume from a good server fetches that range again', async () => {
    const big = patternBytes(4 * 1024 * 1024, 3);
    const half = big.length / 2;
    // Two connections: the probe's (request 0) is slow, so the other one reads its range (request 1) to its end
    // first, with nobody stealing half of it. That range runs 20 bytes long.
    fixture.server.route('/ranged.bin', (request) => (request.index === 0 ? { body: big, throttle: 4 * 1024 * 1024 } : request.index === 1 ? { body: big, extraBytes: 20 } : { body: big }));
    const { callbacks, recorded } = recordingCallbacks();
    const job = makeJob(fixture.server.url('/ranged.bin'), fixture.directory.path, { connections: 2 });
    const error = await failure(runTransfer(job, callbacks, unlimited(), signal, tuning));
    expect(error.code).toBe(C.bodyTooLong);
    expect(fixture.server.requests('/ranged.bin')[1]?.headers.range).toBe(`bytes=${half}-${big.length - 1}`);
    expect(await listFiles(fixture.directory.path)).toEqual(['ranged.bin.part']);
    // The long answer's bytes were taken back: its segment claims none of them.
    const segments = recorded.checkpoints.at(-1) ?? [];
    expect(segments.find((segment) => segment.start === half)?.downloaded).toBe(0);

    const requestsBefore = fixture.server.requests('/ranged.bin').length;
    fixture.server.route('/ranged.bin', { body: big });
    const resume = { metadata: recorded.metadata.at(-1)!, segments };
    const result = await runTransfer(makeJob(fixture.server.url('/ranged.bin'), fixture.directory.path, { connections: 2, resume }), recordingCallbacks().callbacks, unlimited(), signal, tuning);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(big));
    const ranges = fixture.server.requests('/ranged.bin').slice(requestsBefore).map((request) => request.headers.range);
    expect(ranges).toContain(`bytes=${half}-${big.length - 1}`);
  });

  it('passes clean answers, whose keep-alive connection then serves the next download', async () => {
    fixture.server.route('/clean.bin', { body });
    for (let round = 0; round < 2; round++) {
      const result = await runTransfer(makeJob(fixture.server.url('/clean.bin'), fixture.directory.path), recordingCallbacks().callbacks, unlimited(), signal, tuning);
      expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    }
    expect(fixture.server.requests('/clean.bin')).toHaveLength(2);
    expect(fixture.server.connectionCount('/clean.bin')).toBe(1);
  });
});
