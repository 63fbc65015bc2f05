/** setTimeout clamps delays above 2^31-1 ms to 1 ms; chain timers instead. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** Runs `callback` after `delayMs` (any length); returns a function that cancels it. */
export function setLongTimeout(callback: () => void, delayMs: number): () => void {
  let handle: ReturnType<typeof setTimeout> | undefined;
  let remaining = delayMs;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMER_DELAY);
    remaining -= step;
    handle = setTimeout(remaining > 0 ? arm : callback, step);
  };
  arm();
  return () => clearTimeout(handle);
}

/** A wait of NaN or a negative time means "do not wait at all". */
export function normaliseTimeout(timeoutMs: number): number {
  return Number.isNaN(timeoutMs) || timeoutMs < 0 ? 0 : timeoutMs;
}
