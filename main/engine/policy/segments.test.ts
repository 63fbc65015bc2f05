import { describe, expect, it } from 'vitest';
import type { SegmentSnapshot } from '../../../shared/download/types.ts';
import { bytesLeft, clampConnections, compactSegments, coversExactly, isComplete, MIN_SEGMENT_BYTES, nextPending, planSegments, startingConnections, stealHalf, totalDownloaded } from './segments.ts';

const MiB = 1024 * 1024;

describe('segment planning', () => {
  it('splits a file into N near-equal segments that tile it exactly', () => {
    const segments = planSegments(100 * MiB + 3, 8);
    expect(segments).toHaveLength(8);
    expect(coversExactly(segments, 100 * MiB + 3)).toBe(true);
    const sizes = segments.map((segment) => (segment.end ?? 0) - segment.start);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(3);
  });

  it('uses fewer connections for small files and one segment for unknown sizes', () => {
    expect(planSegments(3 * MIN_SEGMENT_BYTES, 16)).toHaveLength(3);
    expect(planSegments(1000, 16)).toHaveLength(1);
    expect(planSegments(null, 16)).toEqual([{ start: 0, end: null, downloaded: 0, state: 'pending' }]);
    expect(planSegments(0, 8)).toEqual([{ start: 0, end: 0, downloaded: 0, state: 'done' }]);
    expect(clampConnections(0)).toBe(1);
    expect(clampConnections(1000)).toBe(64);
  });

  it('starts no more connections than MIN_SEGMENT_BYTES pieces of what is left, but one per unfinished segment', () => {
    expect(startingConnections(planSegments(2_000_000, 8), 8)).toBe(1);
    expect(startingConnections([{ start: 0, end: 100 * MiB, downloaded: 0, state: 'pending' }], 8)).toBe(8);
    expect(startingConnections([{ start: 0, end: 100 * MiB, downloaded: 0, state: 'pending' }], 1)).toBe(1);
    expect(startingConnections([{ start: 0, end: null, downloaded: 0, state: 'pending' }], 1)).toBe(1);
    // A resume: three small segments left of a large file, one already done.
    const resumed: SegmentSnapshot[] = [
      { start: 0, end: 90 * MiB, downloaded: 90 * MiB, state: 'done' },
      { start: 90 * MiB, end: 91 * MiB, downloaded: 0, state: 'pending' },
      { start: 91 * MiB, end: 92 * MiB, downloaded: MiB / 2, state: 'pending' },
      { start: 92 * MiB, end: 93 * MiB, downloaded: 0, state: 'pending' },
    ];
    expect(startingConnections(resumed, 8)).toBe(3);
  });

  it('steals half of the largest remaining segment, counting bytes already received', () => {
    const segments: SegmentSnapshot[] = [
      { start: 0, end: 10 * MiB, downloaded: 10 * MiB, state: 'done' },
      { start: 10 * MiB, end: 20 * MiB, downloaded: 2 * MiB, state: 'active' },
      { start: 20 * MiB, end: 24 * MiB, downloaded: 0, state: 'active' },
    ];
    const received = new Map([[segments[1]!, 10 * MiB + 4 * MiB]]);
    const stolen = stealHalf(segments, 256 * 1024, (segment) => received.get(segment) ?? segment.start + segment.downloaded);
    // 6 MiB remain after the received position 14 MiB: the thief takes [17, 20).
    expect(stolen).toEqual({ start: 17 * MiB, end: 20 * MiB, downloaded: 0, state: 'pending' });
    expect(segments.find((segment) => segment.start === 10 * MiB)?.end).toBe(17 * MiB);
    expect(coversExactly(segments, 24 * MiB)).toBe(true);
  });

  it('counts the bytes left, in all and in the largest segment, from where the connections really are', () => {
    const segments: SegmentSnapshot[] = [
      { start: 0, end: 4 * MiB, downloaded: 4 * MiB, state: 'done' },
      { start: 4 * MiB, end: 8 * MiB, downloaded: MiB, state: 'active' },
      { start: 8 * MiB, end: 10 * MiB, downloaded: 0, state: 'pending' },
    ];
    expect(bytesLeft(segments)).toEqual({ total: 5 * MiB, largest: 3 * MiB });
    // The active connection has received a MiB more than is written.
    expect(bytesLeft(segments, (segment) => (segment === segments[1] ? 6 * MiB : segment.start + segment.downloaded))).toEqual({ total: 4 * MiB, largest: 2 * MiB });
    expect(bytesLeft([{ start: 0, end: null, downloaded: 10, state: 'active' }]).total).toBe(Number.POSITIVE_INFINITY);
  });

  it('does not split what is too small to be worth another connection', () => {
    const segments: SegmentSnapshot[] = [{ start: 0, end: 400 * 1024, downloaded: 0, state: 'active' }];
    expect(stealHalf(segments, 256 * 1024)).toBeNull();
    expect(segments).toHaveLength(1);
  });

  it('picks the largest free pending segment and knows when the file is complete', () => {
    const segments = planSegments(4 * MiB, 4);
    segments[0]!.downloaded = MiB;
    segments[0]!.state = 'done';
    segments[2]!.downloaded = MiB / 2;
    const busy = new Set([segments[1]!]);
    expect(nextPending(segments, busy)).toBe(segments[3]);
    expect(isComplete(segments, 4 * MiB)).toBe(false);
    for (const segment of segments) segment.downloaded = (segment.end ?? 0) - segment.start;
    expect(isComplete(segments, 4 * MiB)).toBe(true);
    expect(totalDownloaded(segments)).toBe(4 * MiB);
  });

  it('rejects plans with gaps, overlaps or impossible counts, and compacts finished runs', () => {
    expect(coversExactly([{ start: 0, end: 5, downloaded: 0, state: 'pending' }, { start: 6, end: 10, downloaded: 0, state: 'pending' }], 10)).toBe(false);
    expect(coversExactly([{ start: 0, end: 6, downloaded: 0, state: 'pending' }, { start: 5, end: 10, downloaded: 0, state: 'pending' }], 10)).toBe(false);
    expect(coversExactly([{ start: 0, end: 10, downloaded: 11, state: 'pending' }], 10)).toBe(false);
    const compacted = compactSegments([
      { start: 0, end: 5, downloaded: 5, state: 'done' },
      { start: 5, end: 8, downloaded: 3, state: 'done' },
      { start: 8, end: 10, downloaded: 1, state: 'pending' },
    ]);
    expect(compacted).toEqual([{ start: 0, end: 10, downloaded: 9, state: 'pending' }]);
  });
});
