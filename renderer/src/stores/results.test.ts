import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBridge, memoryStorage } from '../testing/fake-bridge.ts';
import { createResultTracker, STORAGE_KEY } from './results.ts';

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

function setup(options: { waitMs?: number; storage?: ReturnType<typeof memoryStorage>; fake?: ReturnType<typeof createFakeBridge> } = {}) {
  const fake = options.fake ?? createFakeBridge([]);
  const storage = options.storage ?? memoryStorage();
  const completed: string[] = [];
  const failed: Array<{ id: string; code: unknown }> = [];
  const tracker = createResultTracker({
    bridge: fake.bridge,
    storage,
    waitMs: options.waitMs ?? 20,
    isUnfinished: (id) => {
      const state = fake.downloads.get(id)?.state;
      return state !== undefined && state !== 'completed' && state !== 'failed' && state !== 'cancelled';
    },
    onCompleted: (id) => completed.push(id),
    onFailed: (id, error) => failed.push({ id, code: (error as { code?: unknown }).code }),
  });
  const stored = () => JSON.parse(storage.data.get(STORAGE_KEY) ?? '{}') as Record<string, number>;
  return { fake, storage, tracker, completed, failed, stored };
}

async function startOne(fake: ReturnType<typeof createFakeBridge>) {
  const { started } = await fake.bridge.startDownloads({ requests: [{ url: 'https://example.org/a.iso' }] });
  return started[0]!;
}

describe('the Crochet flow in the window', () => {
  const trackers: Array<{ dispose(): void }> = [];
  afterEach(() => trackers.splice(0).forEach((tracker) => tracker.dispose()));

  it('keeps a fresh uid in sessionStorage, stashing again after each bounded wait', async () => {
    const { fake, tracker, stored } = setup();
    trackers.push(tracker);
    const started = await startOne(fake);
    tracker.track(started.id, started.uid);
    expect(stored()[started.id]).toBe(started.uid);
    await until(() => (tracker.store.getState().attachments.get(started.id)?.restashes ?? 0) >= 2, 'two re-stashes');
    const uid = stored()[started.id]!;
    expect(uid).toBeGreaterThan(started.uid);
    expect(fake.calls.some((call) => call.name === 'resultStash')).toBe(true);
  });

  it('shows the result when it settles and forgets the uid', async () => {
    const { fake, tracker, completed, stored } = setup();
    trackers.push(tracker);
    const started = await startOne(fake);
    tracker.track(started.id, started.uid);
    await until(() => tracker.store.getState().attachments.get(started.id)?.phase === 'waiting', 'a wait');
    fake.complete(started.id);
    await until(() => completed.length === 1, 'completion');
    expect(completed).toEqual([started.id]);
    expect(stored()[started.id]).toBeUndefined();
    expect(tracker.store.getState().attachments.get(started.id)).toMatchObject({ phase: 'finished', outcome: 'completed' });
  });

  it('re-attaches after a reload with the uid sessionStorage kept, and gets the finished result', async () => {
    const first = setup({ waitMs: 15 });
    const started = await startOne(first.fake);
    first.tracker.track(started.id, started.uid);
    await until(() => (first.tracker.store.getState().attachments.get(started.id)?.restashes ?? 0) >= 1, 'a stash');
    // The page goes away between cycles; the download finishes meanwhile.
    first.tracker.dispose();
    await new Promise((resolve) => setTimeout(resolve, 40));
    first.fake.complete(started.id);

    const second = setup({ fake: first.fake, storage: first.storage });
    trackers.push(second.tracker);
    second.tracker.resumeStored();
    await until(() => second.completed.length === 1, 'the finished result after reload');
    expect(second.stored()[started.id]).toBeUndefined();
  });

  it('falls back to attachDownload when the remembered uid was already spent', async () => {
    const { fake, tracker, storage, stored } = setup({ waitMs: 1000 });
    trackers.push(tracker);
    const started = await startOne(fake);
    // Another page retrieved it and went away without stashing it again.
    await fake.bridge.resultRetrieve({ uid: started.uid });
    storage.setItem(STORAGE_KEY, JSON.stringify({ [started.id]: started.uid }));
    tracker.resumeStored();
    await until(() => fake.calls.some((call) => call.name === 'attachDownload'), 'attachDownload');
    await until(() => tracker.store.getState().attachments.get(started.id)?.phase === 'waiting', 'waiting on the fresh result');
    expect(stored()[started.id]).not.toBe(started.uid);
    fake.complete(started.id);
    await until(() => tracker.store.getState().attachments.get(started.id)?.outcome === 'completed', 'completion');
  });

  it('cancels through the held handle', async () => {
    const { fake, tracker, failed } = setup({ waitMs: 1000 });
    trackers.push(tracker);
    const started = await startOne(fake);
    tracker.track(started.id, started.uid);
    await until(() => tracker.isHeld(started.id) && fake.heldUids().length === 1, 'a held handle');
    expect(await tracker.cancel(started.id)).toBe(true);
    await until(() => failed.length === 1, 'the cancelled outcome');
    expect(fake.calls.some((call) => call.name === 'resultCancel')).toBe(true);
    expect(fake.calls.some((call) => call.name === 'cancelDownload')).toBe(false);
    expect(tracker.store.getState().attachments.get(started.id)?.outcome).toBe('cancelled');
  });

  it('says when no handle is held so the caller cancels by id', async () => {
    const { tracker } = setup();
    trackers.push(tracker);
    expect(await tracker.cancel('unknown')).toBe(false);
  });

  it('marks results lost when the link drops, and re-attaches them when it is back', async () => {
    const { fake, tracker } = setup({ waitMs: 20 });
    trackers.push(tracker);
    const started = await startOne(fake);
    fake.failNext('resultStash', { name: 'BridgeDisconnectedError', code: 'ERR_BRIDGE_DISCONNECTED', message: 'gone' });
    tracker.track(started.id, started.uid);
    await until(() => tracker.store.getState().attachments.get(started.id)?.phase === 'lost', 'lost');
    fake.clearFailure('resultStash');
    const spy = vi.spyOn(fake.bridge, 'attachDownload');
    tracker.reattachLost();
    await until(() => spy.mock.calls.length === 1, 'a fresh attach');
    await until(() => tracker.store.getState().attachments.get(started.id)?.phase !== 'lost', 'following again');
  });
});
