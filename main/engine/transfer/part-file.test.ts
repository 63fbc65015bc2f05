import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartFile } from './part-file.ts';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'skein-part-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function block(index: number, size: number): Uint8Array {
  return new Uint8Array(size).fill(index % 251);
}

describe('the .part file', () => {
  it('keeps every byte in place while background flushes run between positional writes', async () => {
    const path = join(folder, 'file.bin.part');
    // A 4 KiB flush-behind threshold: dozens of background datasyncs overlap the writes below.
    const file = await PartFile.open(path, 4096);
    const size = 3000;
    const count = 120;
    await file.setLength(size * count);
    // Connections write their ranges out of order and concurrently.
    const order = Array.from({ length: count }, (_, index) => (index * 37) % count);
    await Promise.all(order.map((index) => file.writeAt([block(index, size / 2), block(index, size / 2)], index * size)));
    await file.datasync();
    await file.close();
    const bytes = await readFile(path);
    expect(bytes.length).toBe(size * count);
    for (let index = 0; index < count; index++) {
      expect(bytes.subarray(index * size, (index + 1) * size).every((value) => value === index % 251)).toBe(true);
    }
  });

  it('reports a write to a closed file as a file-system error, not a crash', async () => {
    const file = await PartFile.open(join(folder, 'closed.part'), 1);
    await file.writeAt([block(1, 10)], 0);
    await file.close();
    await expect(file.writeAt([block(2, 10)], 10)).rejects.toMatchObject({ name: 'DownloadError' });
  });
});
