import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../shared/download/engine-api.ts';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../testing/fault-server.ts';
import { startEngineProcess } from './testing/engine-process.ts';

// kill -9 of the reactor process at 20 random moments of an 8-connection download
// of a 16 MiB file; after each restart the download must finish with the right bytes.

const TRIALS = 20;
const SIZE = 16 << 20;
// About 2 s for the whole file over 8 connections (checkpoints come once a second),
// so kills land in every phase: before the first response, between checkpoints,
// while finishing.
const PER_CONNECTION_RATE = 1 << 20;

let server: FaultServer;
let root: string;
let expected: string;

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A seeded generator, so a failing run can be replayed from the printed seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

beforeAll(async () => {
  const body = patternBytes(SIZE, 7);
  expected = createHash('sha256').update(body).digest('hex');
  server = await startFaultServer();
  server.route('/large.bin', { body, throttle: PER_CONNECTION_RATE });
  root = mkdtempSync(join(tmpdir(), 'skein-crash-'));
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('crash safety', () => {
  it(`finishes with the right sha256 after a SIGKILL at ${TRIALS} random moments`, { timeout: 110_000 }, async () => {
    const seed = Number(process.env.SKEIN_CRASH_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    const outcomes: string[] = [];
    let resumedWithBytes = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const stateDir = join(root, `state-${trial}`);
      const downloads = join(root, `downloads-${trial}`);
      mkdirSync(downloads, { recursive: true });
      const killAfterMs = Math.round(next() * 2300);

      const first = startEngineProcess(stateDir);
      const [added] = await first.call<EngineApi['addDownloads']>('addDownloads', [{ url: server.url('/large.bin'), directory: downloads, connections: 8 }]).wait(10_000);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      await first.kill();

      const second = startEngineProcess(stateDir);
      let done: DownloadSnapshot;
      let resumedFrom: number;
      try {
        resumedFrom = (await second.call<EngineApi['getDownload']>('getDownload', added!.id).wait(10_000)).downloadedBytes;
        done = await second.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000);
      } finally {
        await second.shutdown();
      }
      if (resumedFrom > 0) resumedWithBytes += 1;
      const actual = await sha256Of(done.filePath);
      outcomes.push(`trial ${trial}: killed after ${killAfterMs} ms, ${resumedFrom} bytes kept -> ${actual === expected ? 'ok' : 'CORRUPT'}`);
      expect(actual, `seed ${seed}, ${outcomes.at(-1)}`).toBe(expected);
      // No second copy and no orphan .part: the restarted run continued the same file.
      expect(readdirSync(downloads), outcomes.at(-1)).toEqual(['large.bin']);
      expect(done.filePath).toBe(join(downloads, 'large.bin'));
    }
    console.log(`crash test (seed ${seed}):\n${outcomes.join('\n')}`);
    // The kills must also have hit downloads with bytes committed, or resume was never tested.
    expect(resumedWithBytes, outcomes.join('\n')).toBeGreaterThanOrEqual(3);
  });
});
