import { describe, expect, it } from 'vitest';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { describeActivity, DownloadActivity, formatBytes } from './activity.ts';

const snapshot = (id: string, patch: Partial<DownloadSnapshot> = {}): DownloadSnapshot => ({
  id, url: `https://x.test/${id}`, finalUrl: null, fileName: id, directory: '/d', filePath: `/d/${id}`, state: 'downloading',
  totalBytes: 1000, downloadedBytes: 0, speed: 0, etaSeconds: null, connections: 1, speedLimit: 0, segments: [], error: null,
  retry: null, checksum: null, restartedBecauseChanged: false, createdAt: 0, finishedAt: null, revision: 1, ...patch,
});

describe('download activity', () => {
  it('sums progress over active downloads and reports nothing running as -1', () => {
    const activity = new DownloadActivity();
    expect(activity.summary().fraction).toBe(-1);
    activity.load([snapshot('a', { downloadedBytes: 250 }), snapshot('b', { downloadedBytes: 750 }), snapshot('c', { state: 'completed', downloadedBytes: 1000 })]);
    expect(activity.summary()).toMatchObject({ active: 2, fraction: 0.5 });
    activity.apply({ type: 'progress', updates: [{ id: 'a', state: 'downloading', downloadedBytes: 1000, totalBytes: 1000, speed: 2_500_000, etaSeconds: 0, segments: [] }] });
    expect(activity.summary()).toMatchObject({ fraction: 0.875, speed: 2_500_000 });
    expect(describeActivity(activity.summary())).toBe('Skein: 2 active downloads, 87%, 2.5 MB/s');
  });

  it('an unknown size makes the overall progress indeterminate', () => {
    const activity = new DownloadActivity();
    activity.load([snapshot('a', { totalBytes: null })]);
    expect(activity.summary().fraction).toBeNull();
  });

  it('notices completion and failure once, on the transition only', () => {
    const activity = new DownloadActivity();
    activity.load([snapshot('old', { state: 'completed' })]);
    expect(activity.apply({ type: 'download', change: { kind: 'added', snapshot: snapshot('a') } })).toEqual([]);
    const done = activity.apply({ type: 'download', change: { kind: 'changed', snapshot: snapshot('a', { state: 'completed' }) } });
    expect(done.map((n) => n.kind)).toEqual(['completed']);
    expect(activity.apply({ type: 'download', change: { kind: 'changed', snapshot: snapshot('a', { state: 'completed' }) } })).toEqual([]);
    expect(activity.apply({ type: 'download', change: { kind: 'changed', snapshot: snapshot('old', { state: 'completed' }) } })).toEqual([]);
    activity.apply({ type: 'download', change: { kind: 'added', snapshot: snapshot('b') } });
    expect(activity.apply({ type: 'download', change: { kind: 'changed', snapshot: snapshot('b', { state: 'failed' }) } })[0]?.kind).toBe('failed');
    activity.apply({ type: 'download', change: { kind: 'removed', id: 'b' } });
    expect(activity.summary().active).toBe(0);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(5.8e9)).toBe('5.8 GB');
  });
});
