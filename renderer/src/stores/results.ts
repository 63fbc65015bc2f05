import { createStore } from 'zustand/vanilla';
import { asBridgeError } from '../../../shared/contract/client.ts';
import { codeOfFailure } from '../bridge/pick-bridge.ts';
import type { ResultHandle, SkeinBridge } from '../../../shared/contract/bridge.ts';
import type { DownloadSnapshot } from '../../../shared/download/types.ts';

/**
 * The Crochet flow, made visible. Every download this window started has an
 * EventualResult stashed in main under a uid. For each one we:
 *   retrieveResult(uid) → wait(a few seconds) → on TimeoutError stash() again,
 * writing each new uid to sessionStorage first, so a reload (or a crash of the
 * page) finds a uid to re-attach with. A result that settles is shown at once;
 * cancel() on the held handle cancels the download.
 *
 * A uid read back after a reload may already be spent (the page went away while
 * holding it); then `attachDownload` stashes a fresh result for the download.
 */

export type AttachmentPhase = 'attaching' | 'waiting' | 'stashed' | 'finished' | 'lost';

export interface Attachment {
  uid: number | null;
  phase: AttachmentPhase;
  /** How many times the result was stashed again after a bounded wait. */
  restashes: number;
  outcome: 'completed' | 'failed' | 'cancelled' | null;
}

export interface ResultsState {
  attachments: ReadonlyMap<string, Attachment>;
}

export interface ResultTrackerOptions {
  bridge: SkeinBridge;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Bounded wait per cycle. */
  waitMs?: number;
  /** A download's result settled with its final snapshot. */
  onCompleted(id: string, snapshot: DownloadSnapshot): void;
  /** A download's result settled with an error (failed or cancelled). */
  onFailed(id: string, error: Error): void;
  /** Whether the download exists and is not finished (worth re-attaching). */
  isUnfinished(id: string): boolean;
}

export const STORAGE_KEY = 'skein.results';
const TIMEOUT_CODE = 'ERR_REACTOR_TIMEOUT';
const UNKNOWN_RESULT_CODE = 'ERR_UNKNOWN_RESULT';
const CANCELLED_CODES = new Set(['ERR_REACTOR_CANCELLED', 'ERR_DOWNLOAD_CANCELLED', 'ERR_CANCELLED']);
const LINK_CODES = new Set(['ERR_BRIDGE_DISCONNECTED', 'ERR_REACTOR_STOPPED']);


export function createResultTracker(options: ResultTrackerOptions) {
  const { bridge, storage } = options;
  const waitMs = options.waitMs ?? 5000;
  const store = createStore<ResultsState>()(() => ({ attachments: new Map() }));
  const handles = new Map<string, ResultHandle>();
  const running = new Set<string>();
  let disposed = false;

  const readStash = (): Record<string, number> => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  };
  const writeUid = (id: string, uid: number | null) => {
    const stash = readStash();
    if (uid === null) delete stash[id];
    else stash[id] = uid;
    storage.setItem(STORAGE_KEY, JSON.stringify(stash));
  };
  const update = (id: string, patch: Partial<Attachment>) => {
    const attachments = new Map(store.getState().attachments);
    const current = attachments.get(id) ?? { uid: null, phase: 'attaching', restashes: 0, outcome: null };
    attachments.set(id, { ...current, ...patch });
    store.setState({ attachments });
  };

  async function follow(id: string, firstUid: number): Promise<void> {
    let uid = firstUid;
    let reattached = false;
    while (!disposed) {
      const handle = bridge.retrieveResult<DownloadSnapshot>(uid);
      handles.set(id, handle);
      update(id, { uid, phase: 'waiting' });
      try {
        const snapshot = await handle.wait(waitMs);
        handles.delete(id);
        writeUid(id, null);
        update(id, { phase: 'finished', outcome: 'completed' });
        options.onCompleted(id, snapshot);
        return;
      } catch (reason) {
        handles.delete(id);
        const error = asBridgeError(reason);
        const code = codeOfFailure(error);
        try {
          if (code === TIMEOUT_CODE) {
            uid = await handle.stash();
            writeUid(id, uid);
            update(id, { uid, phase: 'stashed', restashes: (store.getState().attachments.get(id)?.restashes ?? 0) + 1 });
            reattached = false;
            continue;
          }
          if (code === UNKNOWN_RESULT_CODE && !reattached && options.isUnfinished(id)) {
            update(id, { phase: 'attaching', uid: null });
            uid = (await bridge.attachDownload({ id })).uid;
            writeUid(id, uid);
            reattached = true;
            continue;
          }
        } catch (stepReason) {
          markLost(id, asBridgeError(stepReason));
          return;
        }
        if (LINK_CODES.has(code)) {
          markLost(id, error);
          return;
        }
        writeUid(id, null);
        if (code === UNKNOWN_RESULT_CODE) {
          // Spent and nothing left to follow: the row shows the download as it is.
          update(id, { phase: 'finished', uid: null });
          return;
        }
        update(id, { phase: 'finished', outcome: CANCELLED_CODES.has(code) || /cancel/i.test(code) ? 'cancelled' : 'failed' });
        options.onFailed(id, error);
        return;
      }
    }
  }

  function markLost(id: string, _error: Error) {
    // The uid (if any) stays in sessionStorage; reattachLost() picks it up when the link is back.
    update(id, { phase: 'lost' });
  }

  function start(id: string, uid: number) {
    if (running.has(id) || disposed) return;
    running.add(id);
    void follow(id, uid).finally(() => running.delete(id));
  }

  return {
    store,
    /** Follows a result just started: its uid is saved before anything else. */
    track(id: string, uid: number) {
      writeUid(id, uid);
      start(id, uid);
    },
    /** Re-attaches every result this tab's sessionStorage remembers (after a reload). */
    resumeStored() {
      for (const [id, uid] of Object.entries(readStash())) {
        if (typeof uid === 'number') start(id, uid);
      }
    },
    /** After the link or the reactor comes back: fresh results for rows that lost theirs. */
    reattachLost() {
      for (const [id, attachment] of store.getState().attachments) {
        if (attachment.phase !== 'lost' || running.has(id)) continue;
        if (!options.isUnfinished(id)) {
          writeUid(id, null);
          update(id, { phase: 'finished' });
          continue;
        }
        running.add(id);
        void bridge
          .attachDownload({ id })
          .then(({ uid }) => {
            writeUid(id, uid);
            running.delete(id);
            start(id, uid);
          })
          .catch(() => running.delete(id));
      }
    },
    /** Cancels through the held handle; false when none is held (the caller cancels by id). */
    async cancel(id: string): Promise<boolean> {
      const handle = handles.get(id);
      if (!handle) return false;
      await handle.cancel();
      return true;
    },
    isHeld: (id: string) => handles.has(id),
    dispose() {
      disposed = true;
    },
  };
}

export type ResultTracker = ReturnType<typeof createResultTracker>;
