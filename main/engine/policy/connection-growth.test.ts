import { describe, expect, it } from 'vitest';
import { decideGrowth, GROWTH_STEP_MS, GROWTH_WARMUP_MS, MIN_ETA_TO_GROW_MS, minSplittableBytes, type GrowthState, type GrowthVerdict } from './connection-growth.ts';
import { MIN_STEAL_BYTES } from './segments.ts';
import { minStealBytes } from './steal-size.ts';

const KiB = 1024;

/** One connection of a 2,000,000-byte download throttled to 64 KiB/s, 1.2 s in, with 8 connections allowed. */
const slowDownload: GrowthState = {
  activeWorkers: 1,
  allowedConnections: 8,
  acceptsRanges: true,
  bytesLeft: 1_920_000,
  largestSegmentBytesLeft: 1_920_000,
  bytesPerSecond: 64 * KiB,
  speedLimitBytesPerSecond: 0,
  msSinceStart: 1200,
  msSinceLastWorkerAdded: 1200,
};

/** The same attempt's pieces at 64 KiB/s per connection: what stealHalf in the pool leaves in each half. */
const slowPiece = minStealBytes({ bytesPerSecond: 64 * KiB, connections: 1, msMeasured: 1200 });
/** Four fast connections with 40 MB to go: growth is asked only about splitting. */
const fastDownload: Partial<GrowthState> = { activeWorkers: 4, bytesPerSecond: 4 * 1024 * KiB, bytesLeft: 40_000_000, msSinceStart: 3000 };

const cases: Array<[string, Partial<GrowthState>, GrowthVerdict]> = [
  ['a slow download with connections to spare grows', {}, 'grow'],
  ['it keeps growing while it is still slow', { activeWorkers: 4, msSinceStart: 3000, msSinceLastWorkerAdded: GROWTH_STEP_MS, bytesPerSecond: 256 * KiB, largestSegmentBytesLeft: 600_000 }, 'grow'],
  ['not without ranges', { acceptsRanges: false }, 'no-ranges'],
  ['not for a body of unknown length', { bytesLeft: Number.POSITIVE_INFINITY, largestSegmentBytesLeft: Number.POSITIVE_INFINITY }, 'unknown-size'],
  ['not when no connection is left (the attempt is ending)', { activeWorkers: 0 }, 'idle'],
  ['not past the connections allowed', { activeWorkers: 8 }, 'at-limit'],
  ['not past a server that refused a connection', { activeWorkers: 3, allowedConnections: 3 }, 'at-limit'],
  ['never for a one-connection job', { allowedConnections: 1 }, 'at-limit'],
  ['not before a second of measurements', { msSinceStart: GROWTH_WARMUP_MS - 1, msSinceLastWorkerAdded: GROWTH_WARMUP_MS - 1 }, 'warming-up'],
  ['one new connection per step, not seven at once', { activeWorkers: 2, msSinceStart: 1600, msSinceLastWorkerAdded: GROWTH_STEP_MS - 1 }, 'too-soon'],
  ['not while nothing arrives', { bytesPerSecond: 0 }, 'not-moving'],
  ['not when the speed limit is what is slow', { speedLimitBytesPerSecond: 72 * KiB }, 'speed-limited'],
  ['but when the server is far below the speed limit', { speedLimitBytesPerSecond: 1024 * KiB }, 'grow'],
  ['not when it finishes within two seconds anyway', { bytesPerSecond: 10 * 1024 * KiB }, 'nearly-done'],
  ['the boundary: exactly two seconds left is nearly done', { bytesLeft: (64 * KiB * MIN_ETA_TO_GROW_MS) / 1000 }, 'nearly-done'],
  ['not when no segment is worth halving at this speed', { largestSegmentBytesLeft: 2 * slowPiece - 1 }, 'nothing-to-split'],
  ['the boundary: a segment of exactly two minimum steals for this speed is halved', { largestSegmentBytesLeft: 2 * slowPiece }, 'grow'],
  ['slow connections halve what fast ones would not: less than 2 × MIN_STEAL_BYTES', { largestSegmentBytesLeft: 2 * MIN_STEAL_BYTES - 1 }, 'grow'],
  ['fast connections keep 2 × MIN_STEAL_BYTES as the smallest split', { ...fastDownload, largestSegmentBytesLeft: 2 * MIN_STEAL_BYTES - 1 }, 'nothing-to-split'],
  ['and halve a segment of exactly that', { ...fastDownload, largestSegmentBytesLeft: 2 * MIN_STEAL_BYTES }, 'grow'],
];

describe('adaptive connection growth', () => {
  it.each(cases)('%s', (_name, change, verdict) => {
    expect(decideGrowth({ ...slowDownload, ...change })).toBe(verdict);
  });

  it('splits by the rule the pool steals by: two of its minimum pieces for the speed per connection', () => {
    expect(slowPiece).toBeLessThan(MIN_STEAL_BYTES);
    expect(minSplittableBytes(slowDownload)).toBe(2 * slowPiece);
    expect(minSplittableBytes({ ...slowDownload, ...fastDownload })).toBe(2 * MIN_STEAL_BYTES);
    // Seven connections at 64 KiB/s each split what the same speed on one connection would.
    expect(minSplittableBytes({ ...slowDownload, activeWorkers: 7, bytesPerSecond: 7 * 64 * KiB })).toBe(2 * slowPiece);
  });

  it('leaves a fast small download on its one connection: it is done before the warm-up ends', () => {
    // A 2,000,000-byte file on a fast server: whatever the speed, the first decision comes only after a second.
    expect(decideGrowth({ ...slowDownload, bytesPerSecond: 50 * 1024 * KiB, msSinceStart: 40, msSinceLastWorkerAdded: 40 })).toBe('warming-up');
    // And a fast one still running after the warm-up has little left.
    expect(decideGrowth({ ...slowDownload, bytesPerSecond: 50 * 1024 * KiB, bytesLeft: 30 * 1024 * KiB })).toBe('nearly-done');
  });
});
