import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadRecord } from './record.ts';
import { recoverDownloads } from './recovery.ts';

let dir: string;

function record(overrides: Partial<DownloadRecord> = {}): DownloadRecord {
  const filePath = join(dir, 'file.bin');
  return {
    id: 'd1',
    position: 1,
    url: 'http://127.0.0.1/file.bin',
    state: 'downloading',
    directory: dir,
    fileName: 'file.bin',
    filePath,
    options: {},
    metadata: { finalUrl: 'http://127.0.0.1/file.bin', totalBytes: 100, acceptsRanges: true, etag: '"1"', lastModified: null, fileName: 'file.bin', filePath },
    downloadedBytes: 60,
    connections: 2,
    speedLimit: 0,
    checksum: null,
    segments: [
      { start: 0, end: 50, downloaded: 40, state: 'active' },
      { start: 50, end: 100, downloaded: 20, state: 'active' },
    ],
    error: null,
    retry: null,
    restartedBecauseChanged: false,
    createdAt: 1,
    finishedAt: null,
    ...overrides,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skein-recovery-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('recovery at start', () => {
  it('puts interrupted downloads back in the queue, keeping their bytes, and leaves paused ones paused', async () => {
    writeFileSync(join(dir, 'file.bin.part'), Buffer.alloc(100));
    const interrupted = record();
    const paused = record({ id: 'd2', state: 'paused' });
    const saved: string[] = [];
    const report = await recoverDownloads([interrupted, paused], (r) => saved.push(`${r.id}:${r.state}`));
    expect(report.requeued).toEqual(['d1']);
    expect(interrupted.state).toBe('queued');
    expect(interrupted.downloadedBytes).toBe(60);
    expect(paused.state).toBe('paused');
    expect(saved).toEqual(['d1:queued']);
  });

  it('stops trusting claimed bytes the partial file does not hold, without truncating the file', async () => {
    writeFileSync(join(dir, 'file.bin.part'), Buffer.alloc(60, 7));
    const shortPart = record();
    const report = await recoverDownloads([shortPart], () => {});
    expect(report.reset).toEqual(['d1']);
    expect(shortPart.segments).toEqual([]);
    expect(shortPart.downloadedBytes).toBe(0);
    expect(statSync(join(dir, 'file.bin.part')).size).toBe(60);
  });

  it('marks a download complete when it died after the final rename but before the commit', async () => {
    const content = Buffer.alloc(100, 3);
    writeFileSync(join(dir, 'file.bin'), content);
    const finishing = record({
      state: 'verifying',
      downloadedBytes: 100,
      checksum: { algorithm: 'sha256', hex: createHash('sha256').update(content).digest('hex') },
    });
    const report = await recoverDownloads([finishing], () => {});
    expect(report.completed).toEqual(['d1']);
    expect(finishing.state).toBe('completed');
  });

  it('does not claim somebody else’s file of the same name when the checksum disagrees', async () => {
    writeFileSync(join(dir, 'file.bin'), Buffer.alloc(100, 9));
    const finishing = record({ state: 'verifying', downloadedBytes: 100, checksum: { algorithm: 'sha256', hex: '0'.repeat(64) } });
    const report = await recoverDownloads([finishing], () => {});
    expect(report.completed).toEqual([]);
    expect(finishing.state).toBe('queued');
    expect(readFileSync(join(dir, 'file.bin'))).toEqual(Buffer.alloc(100, 9));
  });

  it('reports partial files no download claims and leaves them alone', async () => {
    writeFileSync(join(dir, 'file.bin.part'), Buffer.alloc(100));
    writeFileSync(join(dir, 'stray.iso.part'), 'left by a crash before the name was committed');
    const report = await recoverDownloads([record()], () => {});
    expect(report.orphans).toEqual([join(dir, 'stray.iso.part')]);
    expect(readFileSync(join(dir, 'stray.iso.part'), 'utf8')).toBe('left by a crash before the name was committed');
  });
});

describe('orphan partial files', () => {
  it('matches the empty .part a download reserved before the crash, so it keeps its name', async () => {
    const unnamed = record({ state: 'downloading', metadata: null, segments: [], downloadedBytes: 0, createdAt: Date.now() - 5000 });
    writeFileSync(join(dir, 'file.bin.part'), '');
    writeFileSync(join(dir, 'someone-elses.iso.part'), 'bytes a user may want');
    const report = await recoverDownloads([unnamed], () => {});
    expect(report.matched).toEqual([join(dir, 'file.bin.part')]);
    expect(report.orphans).toEqual([join(dir, 'someone-elses.iso.part')]);
    expect(readdirSync(dir).sort()).toEqual(['someone-elses.iso.part']);
    expect(unnamed.state).toBe('queued');
  });

  it('never removes a partial file that has content, even when the name matches', async () => {
    const unnamed = record({ state: 'downloading', metadata: null, segments: [], downloadedBytes: 0, createdAt: Date.now() - 5000 });
    writeFileSync(join(dir, 'file.bin.part'), 'some bytes');
    const report = await recoverDownloads([unnamed], () => {});
    expect(report.matched).toEqual([]);
    expect(readFileSync(join(dir, 'file.bin.part'), 'utf8')).toBe('some bytes');
  });
});

describe('orphan partial files of other programs', () => {
  it('leaves an empty .part alone when its name is not the interrupted download’s', async () => {
    const unnamed = record({ state: 'downloading', metadata: null, segments: [], downloadedBytes: 0, createdAt: Date.now() - 5000 });
    writeFileSync(join(dir, 'browser-download.zip.part'), '');
    const report = await recoverDownloads([unnamed], () => {});
    expect(report.matched).toEqual([]);
    expect(readdirSync(dir)).toEqual(['browser-download.zip.part']);
  });
});
