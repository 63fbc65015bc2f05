import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatProgressSize, formatSpeed, parseSpeedLimit, percentOf } from './units.ts';

describe('human units', () => {
  it('shows sizes in the unit a person reads at a glance', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5.8 * 1024 ** 3)).toBe('5.8 GB');
    expect(formatBytes(250 * 1024 ** 2)).toBe('250 MB');
  });

  it('shares the unit between done and total when it can', () => {
    expect(formatProgressSize(2.1 * 1024 ** 3, 5.8 * 1024 ** 3)).toBe('2.1 / 5.8 GB');
    expect(formatProgressSize(512 * 1024, 5.8 * 1024 ** 3)).toBe('512 KB / 5.8 GB');
    expect(formatProgressSize(1024 ** 2, null)).toBe('1.0 MB');
    expect(formatProgressSize(1024 ** 2, 1024 ** 2)).toBe('1.0 MB');
  });

  it('speaks durations in seconds, minutes and hours', () => {
    expect(formatDuration(12)).toBe('12 s');
    expect(formatDuration(100)).toBe('1 min 40 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('shows no speed as zero, not NaN', () => {
    expect(formatSpeed(0)).toBe('0 B/s');
    expect(formatSpeed(41.7 * 1024 ** 2)).toBe('41.7 MB/s');
  });

  it('computes percent only when the size is known', () => {
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(50, null)).toBeNull();
  });

  it('reads typed speed limits, defaulting to KB/s', () => {
    expect(parseSpeedLimit('500')).toBe(500 * 1024);
    expect(parseSpeedLimit('2.5 MB/s')).toBe(2.5 * 1024 ** 2);
    expect(parseSpeedLimit('0')).toBe(0);
    expect(parseSpeedLimit('fast')).toBeNull();
  });
});
