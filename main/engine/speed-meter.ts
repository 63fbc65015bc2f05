/**
 * A download's speed as a moving average over a short window of samples, and
 * the ETA that follows from it. Pure: time comes in as an argument.
 */
export interface SpeedMeterOptions {
  /** How far back samples count, in milliseconds. */
  windowMs: number;
}

const RESOLUTION_MS = 100;

interface Sample {
  at: number;
  bytes: number;
}

export class SpeedMeter {
  readonly #windowMs: number;
  #samples: Sample[] = [];

  constructor(options: SpeedMeterOptions = { windowMs: 5000 }) {
    this.#windowMs = options.windowMs;
  }

  /** Records that `bytes` had been downloaded (a running total) at time `at`. */
  record(at: number, bytes: number): void {
    const last = this.#samples.at(-1);
    // A restart from zero (server file changed) makes old samples meaningless.
    if (last && bytes < last.bytes) this.#samples = [];
    const previous = this.#samples.at(-2);
    // Samples closer than the resolution are merged: frequent callers must not grow the window.
    if (last && previous && at - previous.at < RESOLUTION_MS) Object.assign(last, { at, bytes });
    else if (last && last.at === at) last.bytes = bytes;
    else this.#samples.push({ at, bytes });
    const horizon = at - this.#windowMs;
    // Keep one sample at or before the horizon so the window stays full.
    while (this.#samples.length > 2 && this.#samples[1]!.at <= horizon) this.#samples.shift();
  }

  /** Bytes per second over the window ending at `now`; 0 without two samples. */
  speed(now: number): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || first === last) return 0;
    // Silence since the last sample lowers the speed instead of freezing it.
    const elapsed = Math.max(now, last.at) - first.at;
    if (elapsed <= 0) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / elapsed);
  }

  /** How many samples are held (bounded by window / resolution). */
  get sampleCount(): number {
    return this.#samples.length;
  }

  reset(): void {
    this.#samples = [];
  }
}

/** Seconds left at `speed`, or null when unknown (no size, or not moving). */
export function etaSeconds(downloaded: number, total: number | null, speed: number): number | null {
  if (total === null || speed <= 0) return null;
  return Math.max(0, Math.ceil((total - downloaded) / speed));
}
