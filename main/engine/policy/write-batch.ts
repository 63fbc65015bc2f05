/**
 * Write batch size, pure: how many received bytes one connection gathers before
 * it writes them to the file. The connections of a download share a memory budget.
 */

/**
 * Memory for write batches across the connections of one download. 1 MiB per
 * connection at most: larger batches measured no faster and raise peak RSS.
 */
export const BATCH_BUDGET_BYTES = 16 * 1024 * 1024;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** However many connections share the budget, batches stay this large: many connections must not mean many small writes. */
export const MIN_BATCH_BYTES = 256 * 1024;

/** The batch of each of `connections` connections sharing BATCH_BUDGET_BYTES. */
export function batchBytesFor(connections: number): number {
  return Math.min(MAX_BATCH_BYTES, Math.max(MIN_BATCH_BYTES, Math.floor(BATCH_BUDGET_BYTES / Math.max(1, connections))));
}
