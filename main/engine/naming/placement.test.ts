import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { tempDirectory } from '../transfer/test-support.ts';
import { checkDirectory, placeFinalFile, reservePartFile } from './placement.ts';

describe('placement', () => {
  let directory: { path: string; remove(): Promise<void> };
  beforeEach(async () => {
    directory = await tempDirectory('skein-placement-');
  });
  afterEach(async () => {
    await directory.remove();
  });

  it('reserves a name whose final file and .part are both free', async () => {
    await writeFile(join(directory.path, 'a.txt'), 'existing');
    await writeFile(join(directory.path, 'a (1).txt.part'), 'another download');
    const placed = await reservePartFile(directory.path, 'a.txt');
    await placed.handle.close();
    expect(placed.fileName).toBe('a (2).txt');
    // Nothing else: "a.txt.part", made while "a.txt" was being checked, was given back.
    expect((await readdir(directory.path)).sort()).toEqual(['a (1).txt.part', 'a (2).txt.part', 'a.txt']);
  });

  it('gives concurrent downloads of one name different .part files', async () => {
    const names = await Promise.all(Array.from({ length: 5 }, () => reservePartFile(directory.path, 'same.bin')));
    await Promise.all(names.map((placed) => placed.handle.close()));
    expect(new Set(names.map((placed) => placed.fileName)).size).toBe(5);
  });

  it('moves the .part into place, never replacing a file that appeared meanwhile', async () => {
    const placed = await reservePartFile(directory.path, 'r.pdf');
    await placed.handle.close();
    await writeFile(`${placed.filePath}.part`, 'downloaded');
    await writeFile(placed.filePath, 'appeared meanwhile');
    const final = await placeFinalFile(`${placed.filePath}.part`, directory.path, 'r.pdf');
    expect(final.fileName).toBe('r (1).pdf');
    expect(await readFile(join(directory.path, 'r.pdf'), 'utf8')).toBe('appeared meanwhile');
    expect(await readFile(final.filePath, 'utf8')).toBe('downloaded');
    expect((await readdir(directory.path)).sort()).toEqual(['r (1).pdf', 'r.pdf']);
  });

  it('reports a missing folder clearly', async () => {
    await expect(checkDirectory(join(directory.path, 'gone'))).rejects.toMatchObject({ code: C.directoryMissing });
    await expect(reservePartFile(join(directory.path, 'gone'), 'x')).rejects.toMatchObject({ code: C.directoryMissing });
  });
});
