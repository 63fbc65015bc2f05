import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { patternBytes } from '../../testing/fault-server.ts';
import { findNginx, startNginx, type NginxServer } from '../../testing/nginx.ts';
import { runTransfer } from './index.ts';
import { makeJob, recordingCallbacks, sha256, sha256OfFile, tempDirectory, unlimited } from './test-support.ts';

/** The transfer against a server no one here wrote: nginx's own ETags, ranges and If-Range. */
describe.skipIf(findNginx() === null)('runTransfer against nginx', () => {
  let nginx: NginxServer;
  let served: { path: string; remove(): Promise<void> };
  let directory: { path: string; remove(): Promise<void> };
  const body = patternBytes(24 * 1024 * 1024 + 1234, 7);

  beforeAll(async () => {
    served = await tempDirectory('skein-nginx-root-');
    directory = await tempDirectory();
    await writeFile(`${served.path}/big.bin`, body);
    await writeFile(`${served.path}/empty.txt`, '');
    nginx = await startNginx({ root: served.path, limitRate: '2m' });
  });
  afterAll(async () => {
    await nginx?.stop();
    await served.remove();
    await directory.remove();
  });

  it('downloads with 1 and with 16 connections, byte for byte', async () => {
    for (const connections of [1, 16]) {
      const { callbacks, recorded } = recordingCallbacks();
      const result = await runTransfer(makeJob(`${nginx.origin}/big.bin`, directory.path, { connections }), callbacks, unlimited(), new AbortController().signal);
      expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
      expect(recorded.metadata[0]).toMatchObject({ acceptsRanges: true, totalBytes: body.length, etag: expect.stringMatching(/^"/) });
    }
  });

  it('saves nginx\'s empty file', async () => {
    const result = await runTransfer(makeJob(`${nginx.origin}/empty.txt`, directory.path), recordingCallbacks().callbacks, unlimited(), new AbortController().signal);
    expect(result.bytes).toBe(0);
  });

  it('resumes a paused download with If-Range, and starts over when the file changed', async () => {
    const pause = new AbortController();
    const first = recordingCallbacks({
      onCheckpoint: (segments) => {
        if (segments.some((segment) => segment.downloaded > 0)) pause.abort(new Error('pause'));
      },
    });
    await runTransfer(makeJob(`${nginx.origin}/limited/big.bin`, directory.path, { connections: 4 }), first.callbacks, unlimited(), pause.signal).catch(() => undefined);
    const resume = { metadata: first.recorded.metadata.at(-1)!, segments: first.recorded.checkpoints.at(-1)! };
    expect(resume.segments.reduce((sum, segment) => sum + segment.downloaded, 0)).toBeLessThan(body.length);

    const same = recordingCallbacks();
    const resumed = await runTransfer(makeJob(`${nginx.origin}/big.bin`, directory.path, { connections: 4, resume }), same.callbacks, unlimited(), new AbortController().signal);
    expect(await sha256OfFile(resumed.filePath)).toBe(sha256(body));
    expect(same.recorded.restarts).toBe(0);

    // Pause again, then replace the file on the server (new size, new mtime: a new ETag).
    const again = new AbortController();
    const second = recordingCallbacks({
      onCheckpoint: (segments) => {
        if (segments.some((segment) => segment.downloaded > 0)) again.abort(new Error('pause'));
      },
    });
    await runTransfer(makeJob(`${nginx.origin}/limited/big.bin`, directory.path, { connections: 4 }), second.callbacks, unlimited(), again.signal).catch(() => undefined);
    const changed = patternBytes(20 * 1024 * 1024, 8);
    await writeFile(`${served.path}/big.bin`, changed);
    const after = recordingCallbacks();
    const restarted = await runTransfer(
      makeJob(`${nginx.origin}/big.bin`, directory.path, { connections: 4, resume: { metadata: second.recorded.metadata.at(-1)!, segments: second.recorded.checkpoints.at(-1)! } }),
      after.callbacks,
      unlimited(),
      new AbortController().signal,
    );
    expect(await sha256OfFile(restarted.filePath)).toBe(sha256(changed));
    expect(after.recorded.restarts).toBe(1);
    await writeFile(`${served.path}/big.bin`, body);
  });
});
