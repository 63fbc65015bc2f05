import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { TokenBucket } from '../policy/rate-limiter.ts';
import { runTransfer } from './index.ts';
import { listFiles, makeJob, recordingCallbacks, sha256, sha256OfFile, tempDirectory, unlimited } from './test-support.ts';
import { failure } from './test-expectations.ts';

/** A small tmpfs, to make a real ENOSPC or EROFS. Needs root (CI runs as root); skipped otherwise. */
async function mountTmpfs(bytes: number): Promise<{ path: string; remount(options: string): void; unmount(): Promise<void> } | null> {
  const path = await mkdtemp(join(tmpdir(), 'skein-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path], { stdio: 'ignore' });
  } catch {
    await rm(path, { recursive: true, force: true });
    return null;
  }
  return {
    path,
    remount: (options) => execFileSync('mount', ['-o', `remount,${options}`, path], { stdio: 'ignore' }),
    unmount: async () => {
      execFileSync('umount', [path], { stdio: 'ignore' });
      await rm(path, { recursive: true, force: true });
    },
  };
}

const canMount = await (async () => {
  const probe = await mountTmpfs(1024 * 1024);
  if (probe === null) return false;
  await probe.unmount();
  return true;
})();

describe('runTransfer: disk, checksum and speed limits', () => {
  let server: FaultServer;
  let directory: { path: string; remove(): Promise<void> };
  const signal = new AbortController().signal;
  const body = patternBytes(2 * 1024 * 1024);

  beforeEach(async () => {
    server = await startFaultServer();
    directory = await tempDirectory();
    server.route('/f.bin', { body });
  });
  afterEach(async () => {
    await server.close();
    await directory.remove();
  });

  it.skipIf(!canMount)('stops on a full disk without retrying, keeps the bytes, and resumes once there is space', async () => {
    const disk = await mountTmpfs(1024 * 1024);
    if (disk === null) throw new Error('mount failed');
    try {
      const { callbacks, recorded } = recordingCallbacks();
      const error = await failure(runTransfer(makeJob(server.url('/f.bin'), disk.path, { connections: 2 }), callbacks, unlimited(), signal));
      expect(error.code).toBe(C.diskFull);
      expect(error.retryable).toBe(false);
      expect(recorded.retries).toHaveLength(0);
      expect(await listFiles(disk.path)).toEqual(['f.bin.part']);
      const metadata = recorded.metadata.at(-1);
      const segments = recorded.checkpoints.at(-1) ?? [];
      const claimed = segments.reduce((sum, segment) => sum + segment.downloaded, 0);
      expect(claimed).toBeLessThanOrEqual(1024 * 1024);

      disk.remount('size=8m');
      const again = recordingCallbacks();
      const result = await runTransfer(
        makeJob(server.url('/f.bin'), disk.path, { connections: 2, resume: { metadata: metadata!, segments } }),
        again.callbacks,
        unlimited(),
        signal,
      );
      expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
    } finally {
      await disk.unmount();
    }
  });

  it.skipIf(!canMount)('reports a read-only folder as not writable, before any byte is fetched', async () => {
    const disk = await mountTmpfs(1024 * 1024);
    if (disk === null) throw new Error('mount failed');
    try {
      disk.remount('ro');
      const { callbacks } = recordingCallbacks();
      const error = await failure(runTransfer(makeJob(server.url('/f.bin'), disk.path), callbacks, unlimited(), signal));
      expect(error.code).toBe(C.notWritable);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(disk.path);
    } finally {
      await disk.unmount();
    }
  });

  it('reports a destination that is a file, not a folder', async () => {
    const { callbacks } = recordingCallbacks();
    await runTransfer(makeJob(server.url('/f.bin'), directory.path), callbacks, unlimited(), signal);
    const error = await failure(runTransfer(makeJob(server.url('/f.bin'), join(directory.path, 'f.bin')), callbacks, unlimited(), signal));
    expect(error.code).toBe(C.directoryMissing);
  });

  it('verifies a checksum before the final rename, hashing on the way or from the file', async () => {
    for (const connections of [1, 4]) {
      const { callbacks, recorded } = recordingCallbacks();
      const result = await runTransfer(
        makeJob(server.url('/f.bin'), directory.path, { connections, checksum: { algorithm: 'sha256', hex: sha256(body).toUpperCase() } }),
        callbacks,
        unlimited(),
        signal,
      );
      expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
      expect(recorded.states).toContain('verifying');
    }
  });

  it('fails a checksum mismatch and keeps the file as .part for inspection', async () => {
    const { callbacks } = recordingCallbacks();
    const error = await failure(
      runTransfer(makeJob(server.url('/f.bin'), directory.path, { checksum: { algorithm: 'md5', hex: '0'.repeat(32) } }), callbacks, unlimited(), signal),
    );
    expect(error.code).toBe(C.checksumMismatch);
    expect(error.details).toMatchObject({ algorithm: 'md5', expected: '0'.repeat(32) });
    expect(await listFiles(directory.path)).toEqual(['f.bin.part']);
    expect((await stat(join(directory.path, 'f.bin.part'))).size).toBe(body.length);
  });

  it('holds a download to its speed limit, and lifts it while running', async () => {
    const own = new TokenBucket(512 * 1024);
    const startedAt = Date.now();
    const { callbacks } = recordingCallbacks();
    await runTransfer(makeJob(server.url('/f.bin'), directory.path, { connections: 4 }), callbacks, { global: new TokenBucket(0), own }, signal);
    const limited = Date.now() - startedAt;
    // 2 MiB at 512 KiB/s is 4 s, less the initial burst of 128 KiB.
    expect(limited).toBeGreaterThanOrEqual(3400);
    expect(limited).toBeLessThan(6000);

    const changing = new TokenBucket(256 * 1024);
    setTimeout(() => changing.setRate(0), 300);
    const restartedAt = Date.now();
    const result = await runTransfer(makeJob(server.url('/f.bin'), directory.path), callbacks, { global: new TokenBucket(0), own: changing }, signal);
    // At 256 KiB/s this would take 8 s.
    expect(Date.now() - restartedAt).toBeLessThan(2000);
    expect(await sha256OfFile(result.filePath)).toBe(sha256(body));
  }, 15_000);

  it('starts a limited download at once and keeps it flowing evenly', async () => {
    const own = new TokenBucket(32 * 1024);
    const controller = new AbortController();
    const startedAt = Date.now();
    const seen: { at: number; bytes: number }[] = [];
    const { callbacks } = recordingCallbacks({ onProgress: (bytes) => void seen.push({ at: Date.now() - startedAt, bytes }) });
    setTimeout(() => controller.abort(new Error('enough')), 2000);
    await runTransfer(makeJob(server.url('/f.bin'), directory.path), callbacks, { global: new TokenBucket(0), own }, controller.signal).catch(() => undefined);
    const first = seen.find((sample) => sample.bytes > 0);
    // A whole 64 KiB socket read at 32 KiB/s would first wait 1.5 s for its debt (the bucket holds 16 KiB).
    expect(first?.at).toBeLessThan(600);
    const at = (ms: number): number => seen.filter((sample) => sample.at <= ms).at(-1)?.bytes ?? 0;
    // Even: every half second brings about 16 KiB, never a burst of a whole read nor a long silence.
    for (const ms of [1000, 1500, 2000]) {
      const gained = at(ms) - at(ms - 500);
      expect(gained).toBeGreaterThan(8 * 1024);
      expect(gained).toBeLessThan(28 * 1024);
    }
  });

  it('shares the global limit between downloads running at the same time', async () => {
    const global = new TokenBucket(1024 * 1024);
    const startedAt = Date.now();
    const run = () => runTransfer(makeJob(server.url('/f.bin'), directory.path), recordingCallbacks().callbacks, { global, own: new TokenBucket(0) }, signal);
    await Promise.all([run(), run()]);
    // 4 MiB in total at 1 MiB/s.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3500);
    expect(await listFiles(directory.path)).toEqual(['f (1).bin', 'f.bin']);
  }, 15_000);
});
