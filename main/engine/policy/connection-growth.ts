import { minStealBytes } from './steal-size.ts';

/**
 * Adaptive connection growth, pure: whether a running download should open one
 * more connection now. The pool starts no more connections than MIN_SEGMENT_BYTES
 * pieces of the file, which is right for fast servers (another connection costs
 * more than it gains) and wrong for servers that throttle each connection: a
 * 2 MB file at 64 KiB/s per connection would take 31 s over its one connection.
 * So the pool asks this, once per tick, and a new connection steals half of the
 * largest remaining segment (segments.ts, stealHalf) like any finished one does,
 * with the same minimum piece (steal-size.ts).
 */

/** What the pool knows about one attempt of a download at one instant. */
export interface GrowthState {
  /** Connections (workers) running now. */
  activeWorkers: number;
  /** The most this download may run: the job's connections, lowered once the server refused one. */
  allowedConnections: number;
  acceptsRanges: boolean;
  /** Bytes not yet received, all segments together; Infinity when the size is unknown. */
  bytesLeft: number;
  /** Bytes left in the largest unfinished segment: what a new connection would take half of. */
  largestSegmentBytesLeft: number;
  /** The download's speed, all connections together, as a moving average. */
  bytesPerSecond: number;
  /** The tightest speed limit on this download in bytes per second; 0 when there is none. */
  speedLimitBytesPerSecond: number;
  msSinceStart: number;
  msSinceLastWorkerAdded: number;
}

/**
 * No decision before this much of the attempt was measured: the first second
 * holds the handshakes and TCP slow start, which would make every download look slow.
 */
export const GROWTH_WARMUP_MS = 1000;
/**
 * At most one new connection per this interval: the speed shows what the last one
 * brought before the next is opened, and a server that counts connections sees a
 * ramp rather than a burst of seven at once.
 */
export const GROWTH_STEP_MS = 500;
/**
 * A download that finishes sooner than this at its current speed is left alone: a new
 * connection spends a round trip or two (and a TLS handshake) and then ramps up
 * through slow start, so it would deliver little before the others are done.
 */
export const MIN_ETA_TO_GROW_MS = 2000;
/**
 * At this share of the user's speed limit, the limit is what is slow, not the
 * server: more connections would only share the same tokens.
 */
export const SPEED_LIMIT_SHARE = 0.8;
/**
 * The smallest segment a new connection could halve: both halves keep the minimum
 * steal for this speed, as the pool's stealHalf asks. The pool counts the new
 * connection among those sharing the speed when it steals, so its minimum is no
 * larger than this one: a connection opened here finds its piece.
 */
export function minSplittableBytes(state: GrowthState): number {
  return 2 * minStealBytes({ bytesPerSecond: state.bytesPerSecond, connections: state.activeWorkers, msMeasured: state.msSinceStart });
}

/** 'grow', or why not (the reasons make the tests, and a debugger, say which rule held). */
export type GrowthVerdict =
  | 'grow'
  | 'no-ranges'
  | 'unknown-size'
  | 'idle'
  | 'at-limit'
  | 'warming-up'
  | 'too-soon'
  | 'not-moving'
  | 'speed-limited'
  | 'nearly-done'
  | 'nothing-to-split';

export function decideGrowth(state: GrowthState): GrowthVerdict {
  // Without ranges a second connection could only download the same bytes again.
  if (!state.acceptsRanges) return 'no-ranges';
  // A body of unknown length is one request read to its end: there is no range to split.
  if (!Number.isFinite(state.bytesLeft)) return 'unknown-size';
  // No connection left: the attempt is ending (finished, or failed and about to retry).
  if (state.activeWorkers < 1) return 'idle';
  if (state.activeWorkers >= state.allowedConnections) return 'at-limit';
  if (state.msSinceStart < GROWTH_WARMUP_MS) return 'warming-up';
  if (state.msSinceLastWorkerAdded < GROWTH_STEP_MS) return 'too-soon';
  // Nothing arriving is a stall (the stall timeout deals with it) or a server still
  // answering: more connections would only pile up behind it.
  if (state.bytesPerSecond <= 0) return 'not-moving';
  if (state.speedLimitBytesPerSecond > 0 && state.bytesPerSecond >= SPEED_LIMIT_SHARE * state.speedLimitBytesPerSecond) return 'speed-limited';
  if ((state.bytesLeft / state.bytesPerSecond) * 1000 <= MIN_ETA_TO_GROW_MS) return 'nearly-done';
  if (state.largestSegmentBytesLeft < minSplittableBytes(state)) return 'nothing-to-split';
  return 'grow';
}
