import { describe, expect, it } from 'vitest';
import { snapshot } from '../testing/fake-bridge.ts';
import { createDownloadsStore, visibleIds } from './downloads.ts';

describe('downloads store', () => {
  it('counts downloads per filter tab and sums their speed', () => {
    const store = createDownloadsStore();
    store.getState().load([
      snapshot({ state: 'downloading', speed: 100 }),
      snapshot({ state: 'paused', speed: 0 }),
      snapshot({ state: 'queued', speed: 0 }),
      snapshot({ state: 'completed', speed: 0 }),
      snapshot({ state: 'failed', speed: 0 }),
      snapshot({ state: 'downloading', speed: 50 }),
    ]);
    const { counts, totalSpeed, activeCount, pausedCount, status } = store.getState();
    expect(status).toBe('ready');
    expect(counts).toEqual({ all: 6, active: 3, queued: 1, completed: 1, failed: 1 });
    expect(activeCount).toBe(2);
    expect(pausedCount).toBe(1);
    expect(totalSpeed).toBe(150);
  });

  it('applies a progress batch to the rows it names and leaves the others untouched', () => {
    const store = createDownloadsStore();
    const a = snapshot();
    const b = snapshot();
    store.getState().load([a, b]);
    const versionBefore = store.getState().listVersion;
    store.getState().applyProgress([{ id: a.id, state: 'downloading', downloadedBytes: 5, totalBytes: 10, speed: 7, etaSeconds: 1, segments: [] }]);
    expect(store.getState().byId.get(a.id)?.downloadedBytes).toBe(5);
    expect(store.getState().byId.get(b.id)).toBe(b);
    // Progress without a state change does not refilter the list.
    expect(store.getState().listVersion).toBe(versionBefore);
    store.getState().applyProgress([{ id: a.id, state: 'completed', downloadedBytes: 10, totalBytes: 10, speed: 0, etaSeconds: null, segments: [] }]);
    expect(store.getState().listVersion).toBe(versionBefore + 1);
    expect(store.getState().counts.completed).toBe(1);
  });

  it('keeps a newer snapshot when an older one (a late reply) arrives after it', () => {
    const store = createDownloadsStore();
    const queued = snapshot({ state: 'queued' });
    // The failure event overtook the reply to the add that carried the queued snapshot.
    const failed = { ...queued, state: 'failed' as const, revision: queued.revision + 2 };
    store.getState().load([]);
    store.getState().upsert(failed);
    store.getState().upsert(queued);
    expect(store.getState().byId.get(queued.id)?.state).toBe('failed');
    expect(store.getState().counts.failed).toBe(1);
  });

  it('keeps the newest download first as downloads are added, and drops removed ones', () => {
    const store = createDownloadsStore();
    const old = snapshot({ createdAt: 1 });
    const newer = snapshot({ createdAt: 3 });
    store.getState().load([old, newer]);
    const middle = snapshot({ createdAt: 2 });
    store.getState().applyChange({ kind: 'added', snapshot: middle });
    expect(store.getState().order).toEqual([newer.id, middle.id, old.id]);
    store.getState().applyChange({ kind: 'removed', id: middle.id });
    expect(store.getState().order).toEqual([newer.id, old.id]);
    expect(store.getState().counts.all).toBe(2);
  });

  it('ignores progress for downloads it does not know', () => {
    const store = createDownloadsStore();
    store.getState().load([]);
    const revision = store.getState().revision;
    store.getState().applyProgress([{ id: 'ghost', state: 'downloading', downloadedBytes: 1, totalBytes: 2, speed: 1, etaSeconds: 1, segments: [] }]);
    expect(store.getState().revision).toBe(revision);
    expect(store.getState().byId.size).toBe(0);
  });

  it('filters by tab and searches names and links, case-insensitively', () => {
    const store = createDownloadsStore();
    const iso = snapshot({ fileName: 'Ubuntu-24.04.iso', state: 'downloading' });
    const pdf = snapshot({ fileName: 'report.pdf', state: 'completed', url: 'https://docs.example.com/report.pdf' });
    const zip = snapshot({ fileName: 'photos.zip', state: 'failed' });
    store.getState().load([iso, pdf, zip]);
    const state = store.getState();
    expect(visibleIds(state, 'completed', '')).toEqual([pdf.id]);
    expect(visibleIds(state, 'failed', '')).toEqual([zip.id]);
    expect(visibleIds(state, 'all', 'ubuntu')).toEqual([iso.id]);
    expect(visibleIds(state, 'all', 'DOCS.example')).toEqual([pdf.id]);
    expect(visibleIds(state, 'active', 'report')).toEqual([]);
  });
});
