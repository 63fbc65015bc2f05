import { describe, expect, it } from 'vitest';
import { renderLine, type DownloadView } from './progress-view.ts';

const view = (overrides: Partial<DownloadView>): DownloadView => ({
  label: 'ubuntu.iso',
  state: 'downloading',
  downloadedBytes: 512 << 20,
  totalBytes: 1024 << 20,
  speed: 10 << 20,
  etaSeconds: 51,
  outcome: null,
  ...overrides,
});

describe('progress lines', () => {
  it('shows name, bar, percent, bytes, speed and ETA within the terminal width', () => {
    const line = renderLine(view({}), 100, 0);
    expect(line).toMatch(/^ubuntu\.iso\s+\[#+\.+\]\s+50% 512 MiB \/ 1.0 GiB\s+10\.0 MiB\/s ETA 0:51$/);
    expect(line.length).toBeLessThan(100);
  });

  it('keeps the bar where it is when the figures change width', () => {
    const barStart = (line: string): number => line.indexOf('[');
    const barEnd = (line: string): number => line.indexOf(']');
    const running = renderLine(view({}), 120, 0);
    const done = renderLine(view({ outcome: 'done', downloadedBytes: 1024 << 20 }), 120, 0);
    expect([barStart(done), barEnd(done)]).toEqual([barStart(running), barEnd(running)]);
    expect(done).toMatch(/100% 1\.0 GiB \/ 1\.0 GiB\s+done$/);
  });

  it('says the state when not downloading, and ? when the size is unknown', () => {
    expect(renderLine(view({ state: 'retrying' }), 100, 0)).toMatch(/retrying$/);
    expect(renderLine(view({ state: 'retrying', retry: { attempt: 2, limit: 8, nextAttemptAt: 10_000 } }), 100, 0, 6_000)).toMatch(/retry 2\/8 in 0:04$/);
    expect(renderLine(view({ state: 'queued' }), 100, 0)).toMatch(/queued$/);
    expect(renderLine(view({ totalBytes: null, etaSeconds: null }), 100, 3)).toMatch(/\s+\?\s+512 MiB\s+10\.0 MiB\/s$/);
  });

  it('fits a narrow terminal', () => {
    expect(renderLine(view({ label: 'a-very-long-file-name-that-goes-on-and-on.tar.gz' }), 60, 0).length).toBeLessThanOrEqual(59);
  });
});
