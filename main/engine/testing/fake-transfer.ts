import type { RunTransfer, TransferLimiters } from '../engine-ports.ts';
import type { RateLimiter, ResourceMetadata, TransferCallbacks, TransferJob, TransferResult } from '../transfer/types.ts';

/** One call of the fake transfer, driven by the test. */
export interface FakeTransferCall {
  job: TransferJob;
  callbacks: TransferCallbacks;
  limiters: TransferLimiters;
  signal: AbortSignal;
  complete(result?: Partial<TransferResult>): void;
  fail(error: unknown): void;
  /** Settles once the engine has handled the outcome (the promise chain ran). */
  settled: Promise<void>;
}

/**
 * A transfer the test drives by hand: each call waits until the test completes or
 * fails it, and rejects with the signal's reason when the engine aborts it (as the
 * real transfer does after its last checkpoint).
 */
export class FakeTransfer {
  readonly calls: FakeTransferCall[] = [];
  readonly #waiting: Array<{ index: number; resolve(call: FakeTransferCall): void }> = [];

  readonly run: RunTransfer = (job, callbacks, limiters, signal) =>
    new Promise<TransferResult>((resolve, reject) => {
      let settle: () => void = () => {};
      const settled = new Promise<void>((done) => (settle = done));
      const call: FakeTransferCall = {
        job,
        callbacks,
        limiters,
        signal,
        settled,
        complete: (result = {}) => {
          const metadata = result.metadata ?? job.resume?.metadata ?? fakeMetadata(job);
          resolve({ metadata, filePath: metadata.filePath, fileName: metadata.fileName, bytes: metadata.totalBytes ?? 0, ...result });
          setTimeout(settle, 0);
        },
        fail: (error) => {
          reject(error);
          setTimeout(settle, 0);
        },
      };
      signal.addEventListener('abort', () => call.fail(signal.reason), { once: true });
      this.calls.push(call);
      for (const waiter of [...this.#waiting]) {
        if (waiter.index < this.calls.length) {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          waiter.resolve(this.calls[waiter.index]!);
        }
      }
    });

  /** Resolves with call number `index` (0-based) once the engine has made it. */
  call(index: number): Promise<FakeTransferCall> {
    const existing = this.calls[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.#waiting.push({ index, resolve }));
  }
}

export function fakeMetadata(job: TransferJob, overrides: Partial<ResourceMetadata> = {}): ResourceMetadata {
  const fileName = job.fileName ?? 'file.bin';
  return {
    finalUrl: job.url,
    totalBytes: 1000,
    acceptsRanges: true,
    etag: '"v1"',
    lastModified: null,
    fileName,
    filePath: `${job.directory}/${fileName}`,
    ...overrides,
  };
}

/** A limiter that records the rates it was given and never waits. */
export class RecordingLimiter implements RateLimiter {
  readonly rates: number[];
  constructor(rate: number) {
    this.rates = [rate];
  }
  take(_bytes: number, signal: AbortSignal): Promise<void> {
    return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
  setRate(bytesPerSecond: number): void {
    this.rates.push(bytesPerSecond);
  }
}
