/** When and how often a dead reactor process is started again. */
export interface RestartPolicy {
  /** Delay before the first restart. */
  initialDelayMs: number;
  /** Each consecutive failure multiplies the delay by this. */
  factor: number;
  maxDelayMs: number;
  /** Give up after this many deaths in a row (deaths before `stableAfterMs` of uptime). */
  maxConsecutiveDeaths: number;
  /** A process that lived this long resets the count of deaths in a row. */
  stableAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 200,
  factor: 2,
  maxDelayMs: 30_000,
  maxConsecutiveDeaths: 5,
  stableAfterMs: 30_000,
};

/**
 * The delay before restarting after the `consecutiveDeaths`-th death in a row
 * (1 for the first), or null to stop restarting.
 */
export function restartDelay(policy: RestartPolicy, consecutiveDeaths: number): number | null {
  if (consecutiveDeaths > policy.maxConsecutiveDeaths) return null;
  const exponent = Math.max(0, consecutiveDeaths - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
}
