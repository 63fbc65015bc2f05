import type { SegmentSnapshot } from '../../../shared/download/types.ts';

/**
 * Segment planning, pure: how a file of known size is split across connections,
 * and how a connection that finished takes over half of the largest remaining
 * segment (work stealing), so one slow connection never holds the finish back.
 *
 * A segment covers [start, end); `downloaded` bytes from `start` are on disk.
 */

/** Below this, another connection costs more (a TCP and maybe TLS handshake) than it gains. */
export const MIN_SEGMENT_BYTES = 1024 * 1024;
/** Stealing leaves both halves at least this big. */
export const MIN_STEAL_BYTES = 256 * 1024;
export const MAX_CONNECTIONS = 64;

export function clampConnections(connections: number): number {
  if (!Number.isFinite(connections)) return 1;
  return Math.min(MAX_CONNECTIONS, Math.max(1, Math.floor(connections)));
}

/** Bytes of `segment` not yet on disk; Infinity when its end is unknown. */
export function remainingBytes(segment: SegmentSnapshot): number {
  if (segment.end === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, segment.end - segment.start - segment.downloaded);
}

/** Splits [0, total) into up to `connections` near-equal segments, none smaller than `minSegmentBytes`. */
export function planSegments(totalBytes: number | null, connections: number, minSegmentBytes = MIN_SEGMENT_BYTES): SegmentSnapshot[] {
  if (totalBytes === null) return [{ start: 0, end: null, downloaded: 0, state: 'pending' }];
  const count = Math.max(1, Math.min(clampConnections(connections), Math.floor(totalBytes / Math.max(1, minSegmentBytes))));
  const size = Math.floor(totalBytes / count);
  const segments: SegmentSnapshot[] = [];
  for (let index = 0; index < count; index++) {
    const start = index * size;
    const end = index === count - 1 ? totalBytes : start + size;
    segments.push({ start, end, downloaded: 0, state: end === start ? 'done' : 'pending' });
  }
  return segments;
}

/**
 * Connections to start for what `segments` have left: no more than MIN_SEGMENT_BYTES pieces of it (as
 * planSegments does), since extra ones would steal at once and cut a 1 MiB file into four requests on four
 * new connections. A resume with few segments left of a large file still gets every connection: the extra ones steal.
 */
export function startingConnections(segments: readonly SegmentSnapshot[], allowed: number): number {
  const unfinished = segments.filter((segment) => segment.state !== 'done');
  const left = unfinished.reduce((sum, segment) => sum + remainingBytes(segment), 0);
  return Math.min(allowed, Math.max(unfinished.length, Math.floor(left / MIN_SEGMENT_BYTES), 1));
}

/**
 * Takes half of the largest unfinished segment's remaining bytes. Mutates the
 * victim (its end moves to the split point) and returns the new segment, or null
 * when nothing is worth splitting. The victim's connection must stop at its new end.
 */
export function stealHalf(
  segments: SegmentSnapshot[],
  minStealBytes = MIN_STEAL_BYTES,
  /** Where the victim's connection really is: bytes received but not yet written count as taken. */
  positionOf: (segment: SegmentSnapshot) => number = (segment) => segment.start + segment.downloaded,
): SegmentSnapshot | null {
  let victim: SegmentSnapshot | null = null;
  let largest = 0;
  for (const segment of segments) {
    if (segment.state === 'done' || segment.end === null) continue;
    const remaining = Math.max(0, segment.end - positionOf(segment));
    if (remaining > largest) {
      largest = remaining;
      victim = segment;
    }
  }
  if (victim === null || victim.end === null || largest < 2 * minStealBytes) return null;
  const split = positionOf(victim) + Math.ceil(largest / 2);
  const stolen: SegmentSnapshot = { start: split, end: victim.end, downloaded: 0, state: 'pending' };
  victim.end = split;
  segments.push(stolen);
  segments.sort((a, b) => a.start - b.start);
  return stolen;
}

/**
 * Bytes not yet received: all segments together, and in the largest one. Positions
 * as in stealHalf; a segment of unknown end counts as Infinity.
 */
export function bytesLeft(
  segments: readonly SegmentSnapshot[],
  positionOf: (segment: SegmentSnapshot) => number = (segment) => segment.start + segment.downloaded,
): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const segment of segments) {
    if (segment.state === 'done') continue;
    const left = segment.end === null ? Number.POSITIVE_INFINITY : Math.max(0, segment.end - positionOf(segment));
    total += left;
    largest = Math.max(largest, left);
  }
  return { total, largest };
}

/** The next pending segment nobody works on, largest first. */
export function nextPending(segments: readonly SegmentSnapshot[], busy: ReadonlySet<SegmentSnapshot>): SegmentSnapshot | null {
  let best: SegmentSnapshot | null = null;
  for (const segment of segments) {
    if (segment.state === 'done' || busy.has(segment)) continue;
    if (remainingBytes(segment) === 0) continue;
    if (best === null || remainingBytes(segment) > remainingBytes(best)) best = segment;
  }
  return best;
}

export function totalDownloaded(segments: readonly SegmentSnapshot[]): number {
  let sum = 0;
  for (const segment of segments) sum += segment.downloaded;
  return sum;
}

export function isComplete(segments: readonly SegmentSnapshot[], totalBytes: number | null): boolean {
  if (totalBytes === null) return false;
  return segments.every((segment) => segment.end !== null && remainingBytes(segment) === 0) && coversExactly(segments, totalBytes);
}

/**
 * Checks that segments tile [0, total) with no gap or overlap: the invariant a
 * resume relies on. A stored plan that breaks it is discarded.
 */
export function coversExactly(segments: readonly SegmentSnapshot[], totalBytes: number): boolean {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const segment of sorted) {
    if (segment.start !== expected || segment.end === null || segment.end < segment.start) return false;
    if (segment.downloaded < 0 || segment.downloaded > segment.end - segment.start) return false;
    expected = segment.end;
  }
  return expected === totalBytes;
}

/** Merges each finished segment with the one after it, so a stored plan stays short after much stealing. */
export function compactSegments(segments: readonly SegmentSnapshot[]): SegmentSnapshot[] {
  const out: SegmentSnapshot[] = [];
  for (const segment of [...segments].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    // A finished segment followed by its neighbour is one segment whose prefix is on disk.
    if (last && last.end !== null && remainingBytes(last) === 0 && last.end === segment.start) {
      last.end = segment.end;
      last.downloaded += segment.downloaded;
      last.state = segment.state;
      continue;
    }
    out.push({ ...segment });
  }
  return out;
}
