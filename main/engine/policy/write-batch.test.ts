import { describe, expect, it } from 'vitest';
import { BATCH_BUDGET_BYTES, batchBytesFor, MAX_BATCH_BYTES, MIN_BATCH_BYTES } from './write-batch.ts';

describe('write batch size', () => {
  it.each([
    [1, MAX_BATCH_BYTES],
    [16, BATCH_BUDGET_BYTES / 16],
    [32, BATCH_BUDGET_BYTES / 32],
    [64, MIN_BATCH_BYTES],
    [0, MAX_BATCH_BYTES],
  ])('%i connections write batches of %i bytes', (connections, bytes) => {
    expect(batchBytesFor(connections)).toBe(bytes);
  });
});
