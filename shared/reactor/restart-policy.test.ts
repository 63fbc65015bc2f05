import { describe, expect, it } from 'vitest';
import { defaultRestartPolicy, restartDelay } from './restart-policy.ts';

describe('restartDelay', () => {
  const policy = { initialDelayMs: 100, factor: 2, maxDelayMs: 1000, maxConsecutiveDeaths: 6, stableAfterMs: 10_000 };

  it('doubles from the initial delay and stops growing at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((deaths) => restartDelay(policy, deaths))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('gives up after the allowed number of deaths in a row', () => {
    expect(restartDelay(policy, 7)).toBeNull();
    expect(restartDelay(defaultRestartPolicy, defaultRestartPolicy.maxConsecutiveDeaths + 1)).toBeNull();
  });
});
