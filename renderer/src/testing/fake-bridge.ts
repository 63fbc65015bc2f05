import { createBridge } from '../../../shared/contract/client.ts';
import type { BridgeEvent, Reply, SkeinBridge } from '../../../shared/contract/bridge.ts';
import type { AppInfo, RequestName } from '../../../shared/contract/requests.ts';
import type { DownloadSnapshot, Settings } from '../../../shared/download/types.ts';
import type { SerializedError } from '../../../shared/errors/base.ts';

/**
 * An in-memory main for renderer tests: real `createBridge` on top, a tiny
 * engine and stash underneath. Tests drive it (`emit`, `settle`) and read what
 * the window asked (`calls`). Never used by the app itself.
 */

export const defaultSettings: Settings = {
  downloadDirectory: '/home/me/Downloads',
  maxConcurrentDownloads: 3,
  connectionsPerDownload: 8,
  globalSpeedLimit: 0,
  retryLimit: 5,
  stallTimeoutMs: 30_000,
  notifications: true,
  theme: 'system',
  proxy: null,
  openAtLogin: false,
};

let sequence = 0;

export function snapshot(overrides: Partial<DownloadSnapshot> = {}): DownloadSnapshot {
  sequence += 1;
  const fileName = overrides.fileName ?? `file-${sequence}.bin`;
  return {
    id: `d${sequence}`,
    url: `https://files.example.org/${fileName}`,
    finalUrl: null,
    fileName,
    directory: '/home/me/Downloads',
    filePath: `/home/me/Downloads/${fileName}`,
    state: 'downloading',
    totalBytes: 10 * 1024 * 1024,
    downloadedBytes: 2 * 1024 * 1024,
    speed: 1024 * 1024,
    etaSeconds: 8,
    connections: 4,
    speedLimit: 0,
    segments: [],
    error: null,
    retry: null,
    checksum: null,
    restartedBecauseChanged: false,
    createdAt: 1_700_000_000_000 + sequence,
    finishedAt: null,
    revision: sequence,
    ...overrides,
  };
}

type Outcome = { ok: true; value: DownloadSnapshot } | { ok: false; error: SerializedError };

interface Held {
  id: string;
  outcome: Outcome | null;
  waiters: Array<(outcome: Outcome | null) => void>;
}

export function createFakeBridge(initial: DownloadSnapshot[] = []) {
  const downloads = new Map(initial.map((download) => [download.id, download]));
  const listeners = new Set<(event: BridgeEvent) => void>();
  const stash = new Map<number, Held>();
  const held = new Map<number, Held>();
  const byDownload = new Map<string, Held>();
  let nextUid = 1;
  let settings = { ...defaultSettings };
  const calls: Array<{ name: RequestName; input: unknown }> = [];
  const failures = new Map<RequestName, SerializedError>();

  const resultFor = (id: string): Held => {
    let entry = byDownload.get(id);
    if (!entry || entry.outcome) {
      entry = { id, outcome: null, waiters: [] };
      byDownload.set(id, entry);
    }
    return entry;
  };
  const stashed = (entry: Held) => {
    const uid = nextUid++;
    stash.set(uid, entry);
    return uid;
  };
  const ok = (value: unknown): Reply => ({ ok: true, value });
  const fail = (code: string, message: string): Reply => ({ ok: false, error: { name: 'Error', code, message } });
  const set = (id: string, patch: Partial<DownloadSnapshot>) => {
    const next = { ...downloads.get(id)!, ...patch };
    downloads.set(id, next);
    return next;
  };

  const handlers: Partial<Record<RequestName, (input: any) => Reply | Promise<Reply>>> = {
    getAppInfo: () => ok({ version: '0.1.0', platform: 'linux', host: 'browser', reactorState: 'running', canChooseDirectory: false } satisfies AppInfo),
    getSettings: () => ok(settings),
    updateSettings: ({ patch }) => ok((settings = { ...settings, ...patch })),
    listDownloads: () => ok([...downloads.values()]),
    startDownloads: ({ requests }) =>
      ok({
        started: requests.map((request: { url: string }) => {
          const created = snapshot({ url: request.url, fileName: request.url.split('/').pop() || 'download', state: 'queued', downloadedBytes: 0, speed: 0 });
          downloads.set(created.id, created);
          return { id: created.id, uid: stashed(resultFor(created.id)), snapshot: created };
        }),
      }),
    attachDownload: ({ id }) => (downloads.has(id) ? ok({ uid: stashed(resultFor(id)) }) : fail('ERR_DOWNLOAD_NOT_FOUND', 'No such download')),
    pauseDownload: ({ id }) => ok(set(id, { state: 'paused', speed: 0 })),
    resumeDownload: ({ id }) => ok(set(id, { state: 'downloading' })),
    retryDownload: ({ id }) => ok(set(id, { state: 'queued', error: null })),
    cancelDownload: ({ id }) => ok(set(id, { state: 'cancelled', speed: 0 })),
    removeDownload: ({ id }) => {
      downloads.delete(id);
      return ok(null);
    },
    setDownloadSpeedLimit: ({ id, bytesPerSecond }) => ok(set(id, { speedLimit: bytesPerSecond })),
    pauseAll: () => ok(null),
    resumeAll: () => ok(null),
    openFile: () => ok(null),
    showInFolder: () => ok(null),
    chooseDirectory: () => ok(null),
    resultRetrieve: ({ uid }) => {
      const entry = stash.get(uid);
      if (!entry) return fail('ERR_UNKNOWN_RESULT', `No stashed result with uid ${uid}`);
      stash.delete(uid);
      held.set(uid, entry);
      return ok(null);
    },
    resultWait: ({ uid, timeoutMs }) => {
      const entry = held.get(uid);
      if (!entry) return fail('ERR_UNKNOWN_RESULT', 'Not held');
      const answer = (outcome: Outcome | null): Reply => {
        if (!outcome) return fail('ERR_REACTOR_TIMEOUT', 'Timed out waiting for the result');
        held.delete(uid);
        return outcome.ok ? ok(outcome.value) : { ok: false, error: outcome.error };
      };
      if (entry.outcome) return answer(entry.outcome);
      return new Promise<Reply>((resolve) => {
        const waiter = (outcome: Outcome | null) => resolve(answer(outcome));
        entry.waiters.push(waiter);
        setTimeout(() => {
          entry.waiters = entry.waiters.filter((other) => other !== waiter);
          if (!entry.outcome) waiter(null);
        }, timeoutMs);
      });
    },
    resultCancel: ({ uid }) => {
      const entry = held.get(uid);
      if (!entry) return fail('ERR_UNKNOWN_RESULT', 'Not held');
      set(entry.id, { state: 'cancelled', speed: 0 });
      settle(entry.id, { ok: false, error: { name: 'CancelledError', code: 'ERR_REACTOR_CANCELLED', message: 'The call was cancelled' } });
      return ok(null);
    },
    resultStash: ({ uid }) => {
      const entry = held.get(uid);
      if (!entry) return fail('ERR_UNKNOWN_RESULT', 'Not held');
      held.delete(uid);
      return ok({ uid: stashed(entry) });
    },
  };

  function settle(id: string, outcome: Outcome) {
    const entry = byDownload.get(id);
    if (!entry) return;
    entry.outcome = outcome;
    for (const waiter of entry.waiters.splice(0)) waiter(outcome);
  }

  const invoke = async (name: RequestName, input: unknown): Promise<Reply> => {
    calls.push({ name, input });
    const failure = failures.get(name);
    if (failure) return { ok: false, error: failure };
    const handler = handlers[name];
    return handler ? handler(input) : fail('ERR_BRIDGE_UNSUPPORTED', `${name} is not faked`);
  };

  const bridge: SkeinBridge = createBridge(invoke, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });

  return {
    bridge,
    calls,
    downloads,
    /** Sends an event to the window as main would. */
    emit(event: BridgeEvent) {
      if (event.type === 'download' && event.change.kind !== 'removed') downloads.set(event.change.snapshot.id, event.change.snapshot);
      for (const listener of listeners) listener(event);
    },
    /** Completes a download: its result resolves with the final snapshot. */
    complete(id: string) {
      const done = set(id, { state: 'completed', downloadedBytes: downloads.get(id)!.totalBytes ?? 0, speed: 0, finishedAt: Date.now() });
      settle(id, { ok: true, value: done });
      return done;
    },
    settle,
    /** Makes every future call of `name` fail with this error. */
    failNext(name: RequestName, error: SerializedError) {
      failures.set(name, error);
    },
    clearFailure(name: RequestName) {
      failures.delete(name);
    },
    stashedUids: () => [...stash.keys()],
    heldUids: () => [...held.keys()],
  };
}

export type FakeBridge = ReturnType<typeof createFakeBridge>;

/** A Storage for tests (sessionStorage's shape). */
export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}
