import { describe, expect, it } from 'vitest';
import { downloadsToRequeue, downloadsToStart, type QueueEntry } from './queue-policy.ts';

const entry = (id: string, state: QueueEntry['state'], position: number): QueueEntry => ({ id, state, position, createdAt: position });

describe('queue policy', () => {
  it('fills only the free slots, earliest position first, skipping paused and finished downloads', () => {
    const entries = [entry('c', 'queued', 3), entry('a', 'queued', 1), entry('p', 'paused', 0), entry('done', 'completed', 0), entry('b', 'queued', 2)];
    expect(downloadsToStart(entries, 0, 2)).toEqual(['a', 'b']);
    expect(downloadsToStart(entries, 1, 2)).toEqual(['a']);
    expect(downloadsToStart(entries, 2, 2)).toEqual([]);
    expect(downloadsToStart(entries, 5, 2)).toEqual([]);
  });

  it('sends the latest running downloads back to the queue when the limit shrinks', () => {
    const entries = [entry('a', 'downloading', 1), entry('b', 'retrying', 2), entry('c', 'connecting', 3), entry('q', 'queued', 4)];
    expect(downloadsToRequeue(entries, 1)).toEqual(['b', 'c']);
    expect(downloadsToRequeue(entries, 3)).toEqual([]);
  });
});
