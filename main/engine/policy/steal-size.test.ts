import { describe, expect, it } from 'vitest';
import { MIN_STEAL_BYTES } from './segments.ts';
import { MIN_STEAL_FLOOR_BYTES, minStealBytes, STEAL_MIN_SECONDS, STEAL_SPEED_TRUSTED_AFTER_MS, type ConnectionSpeed } from './steal-size.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** The slowest connection that still keeps MIN_STEAL_BYTES: a piece that size lasts it exactly STEAL_MIN_SECONDS. */
const FAST_ENOUGH = MIN_STEAL_BYTES / STEAL_MIN_SECONDS;

const measured = (bytesPerSecond: number, connections = 1): ConnectionSpeed => ({ bytesPerSecond, connections, msMeasured: 3000 });

const cases: Array<[string, ConnectionSpeed, number]> = [
  ['no speed measured yet: today’s minimum', { bytesPerSecond: 0, connections: 1, msMeasured: 0 }, MIN_STEAL_BYTES],
  ['a slow speed measured for less than the warm-up is not trusted', { bytesPerSecond: 64 * KiB, connections: 1, msMeasured: STEAL_SPEED_TRUSTED_AFTER_MS - 1 }, MIN_STEAL_BYTES],
  ['but it is once the warm-up is over', { bytesPerSecond: 64 * KiB, connections: 1, msMeasured: STEAL_SPEED_TRUSTED_AFTER_MS }, 64 * KiB * STEAL_MIN_SECONDS],
  ['nothing arriving is no evidence of slow connections', measured(0), MIN_STEAL_BYTES],
  ['nor is a speed that is no number', measured(Number.NaN), MIN_STEAL_BYTES],
  ['nor a speed without connections', measured(64 * KiB, 0), MIN_STEAL_BYTES],
  ['slow: one connection at 64 KiB/s takes STEAL_MIN_SECONDS of it', measured(64 * KiB), 64 * KiB * STEAL_MIN_SECONDS],
  ['the speed is shared by the connections: eight at 512 KiB/s are 64 KiB/s each', measured(512 * KiB, 8), 64 * KiB * STEAL_MIN_SECONDS],
  ['fast: 10 MiB/s on one connection keeps today’s minimum', measured(10 * MiB), MIN_STEAL_BYTES],
  ['fast: 40 MiB/s over eight connections keeps it too', measured(40 * MiB, 8), MIN_STEAL_BYTES],
  ['clamped above: just fast enough for the full minimum', measured(FAST_ENOUGH), MIN_STEAL_BYTES],
  ['just below it, the minimum starts to shrink', measured(FAST_ENOUGH - 100), MIN_STEAL_BYTES - 150],
  ['clamped below: 8 KiB/s per connection still cuts no piece under the floor', measured(32 * KiB, 4), MIN_STEAL_FLOOR_BYTES],
  ['the floor’s own boundary', measured(MIN_STEAL_FLOOR_BYTES / STEAL_MIN_SECONDS), MIN_STEAL_FLOOR_BYTES],
];

describe('the minimum piece a steal leaves', () => {
  it.each(cases)('%s', (_name, speed, expected) => {
    expect(minStealBytes(speed)).toBe(expected);
  });

  it('whole bytes, within the floor and today’s minimum, whatever the speed', () => {
    for (const bytesPerSecond of [1, 1000, 50 * KiB, 100_003, 170 * KiB, 1e9]) {
      const bytes = minStealBytes(measured(bytesPerSecond));
      expect(Number.isInteger(bytes)).toBe(true);
      expect(bytes).toBeGreaterThanOrEqual(MIN_STEAL_FLOOR_BYTES);
      expect(bytes).toBeLessThanOrEqual(MIN_STEAL_BYTES);
    }
  });

  it('never grows when one more connection shares the same speed (a connection added by growth finds its piece)', () => {
    for (const bytesPerSecond of [32 * KiB, 200 * KiB, 700 * KiB, 5 * MiB]) {
      for (let connections = 1; connections < 8; connections++) {
        expect(minStealBytes(measured(bytesPerSecond, connections + 1))).toBeLessThanOrEqual(minStealBytes(measured(bytesPerSecond, connections)));
      }
    }
  });
});
