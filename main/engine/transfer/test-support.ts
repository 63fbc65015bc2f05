import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import { startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { TokenBucket } from '../policy/rate-limiter.ts';
import type { TransferTuning } from './index.ts';
import type { ResourceMetadata, RetryNotice, TransferCallbacks, TransferJob } from './types.ts';

/** Helpers for the transfer's tests (and the engine's): a job, callbacks that record, a temp folder. */

export function makeJob(url: string, directory: string, overrides: Partial<TransferJob> = {}): TransferJob {
  return {
    url,
    directory,
    connections: 1,
    headers: {},
    checksum: null,
    proxy: null,
    retryLimit: 3,
    stallTimeoutMs: 5_000,
    resume: null,
    ...overrides,
  };
}

export interface Recorded {
  metadata: ResourceMetadata[];
  checkpoints: SegmentSnapshot[][];
  progress: number[];
  restarts: number;
  retries: RetryNotice[];
  states: string[];
}

export function recordingCallbacks(hooks: Partial<TransferCallbacks> = {}): { callbacks: TransferCallbacks; recorded: Recorded } {
  const recorded: Recorded = { metadata: [], checkpoints: [], progress: [], restarts: 0, retries: [], states: [] };
  const callbacks: TransferCallbacks = {
    onMetadata: async (metadata) => {
      recorded.metadata.push({ ...metadata });
      await hooks.onMetadata?.(metadata);
    },
    onCheckpoint: async (segments) => {
      recorded.checkpoints.push(segments.map((segment) => ({ ...segment })));
      await hooks.onCheckpoint?.(segments);
    },
    onProgress: (bytes, segments) => {
      recorded.progress.push(bytes);
      hooks.onProgress?.(bytes, segments);
    },
    onRestartedBecauseChanged: () => {
      recorded.restarts++;
      hooks.onRestartedBecauseChanged?.();
    },
    onRetryScheduled: (notice) => {
      recorded.retries.push(notice);
      hooks.onRetryScheduled?.(notice);
    },
    onStateChange: (state) => {
      recorded.states.push(state);
      hooks.onStateChange?.(state);
    },
  };
  return { callbacks, recorded };
}

export function unlimited(): { global: TokenBucket; own: TokenBucket } {
  return { global: new TokenBucket(0), own: new TokenBucket(0) };
}

export interface TempDirectory {
  path: string;
  remove(): Promise<void>;
}

export async function tempDirectory(prefix = 'skein-transfer-'): Promise<TempDirectory> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A fault server and an empty folder for every test of the enclosing describe
 * (read them inside tests: each test gets new ones).
 */
export function serverAndFolder(): { readonly server: FaultServer; readonly directory: TempDirectory } {
  const fixture = {} as { server: FaultServer; directory: TempDirectory };
  beforeEach(async () => {
    fixture.server = await startFaultServer();
    fixture.directory = await tempDirectory();
  });
  afterEach(async () => {
    await fixture.server.close();
    await fixture.directory.remove();
  });
  return fixture;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
  return sha256(await readFile(path));
}

export async function listFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).sort();
}

/** Retries in tens of milliseconds, without jitter: fault tests then run in well under a second. */
export const FAST_RETRY_TUNING: TransferTuning = {
  retryPolicy: { limit: 3, baseDelayMs: 20, factor: 2, maxDelayMs: 200, jitter: 0, maxRetryAfterMs: 10_000 },
};
