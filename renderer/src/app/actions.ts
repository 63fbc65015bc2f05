import type { SkeinBridge } from '../../../shared/contract/bridge.ts';
import type { DownloadRequest, Settings } from '../../../shared/download/types.ts';
import { codeOfFailure, messageOfFailure } from '../bridge/pick-bridge.ts';
import type { ConnectionStore } from '../stores/connection.ts';
import type { DialogsStore } from '../stores/dialogs.ts';
import type { DownloadsStore } from '../stores/downloads.ts';
import type { NoticesStore } from '../stores/notices.ts';
import type { ResultTracker } from '../stores/results.ts';
import type { SettingsStore } from '../stores/settings.ts';
import type { ViewStore } from '../stores/view.ts';

interface ActionDeps {
  bridge: SkeinBridge;
  stores: {
    downloads: DownloadsStore;
    view: ViewStore;
    settings: SettingsStore;
    connection: ConnectionStore;
    dialogs: DialogsStore;
    notices: NoticesStore;
  };
  results: ResultTracker;
}

/** Why an action failed, as a sentence with what to do. */
export function failureSentence(what: string, reason: unknown): string {
  const code = codeOfFailure(reason);
  const message = messageOfFailure(reason).replace(/\.?$/, '.');
  if (code === 'ERR_BRIDGE_DISCONNECTED') return `Could not ${what}: Skein is not connected. It reconnects by itself; try again in a moment.`;
  if (code === 'ERR_REACTOR_STOPPED' || code === 'ERR_REACTOR_NOT_SET_UP') {
    return `Could not ${what}: the download engine is restarting. Try again in a few seconds.`;
  }
  if (code === 'ERR_BRIDGE_UNSUPPORTED') return `Could not ${what}: ${message} Use the desktop app for this.`;
  return `Could not ${what}: ${message}`;
}

/**
 * Everything a person can do, as functions of ids. Failures become notices with
 * a next step; none throws to the component that called it.
 */
export function createActions({ bridge, stores, results }: ActionDeps) {
  const notify = (tone: 'info' | 'success' | 'danger', text: string) => stores.notices.getState().push(tone, text);
  const nameOf = (id: string) => stores.downloads.getState().byId.get(id)?.fileName ?? 'this download';
  const upsert = stores.downloads.getState().upsert;

  /** Runs one request per id; reports the first failure with the download's name. */
  async function forEach(ids: readonly string[], verb: string, run: (id: string) => Promise<unknown>): Promise<void> {
    const outcomes = await Promise.allSettled(ids.map(run));
    const failures = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ id: ids[index]!, reason: outcome.reason }] : []));
    const first = failures[0];
    if (!first) return;
    const extra = failures.length > 1 ? ` (${failures.length - 1} more could not either)` : '';
    notify('danger', `${failureSentence(`${verb} “${nameOf(first.id)}”`, first.reason)}${extra}`);
  }

  return {
    /** Starts downloads and follows each result. Returns an error sentence, or null on success. */
    async start(requests: DownloadRequest[]): Promise<string | null> {
      try {
        const { started } = await bridge.startDownloads({ requests });
        for (const entry of started) {
          upsert(entry.snapshot);
          results.track(entry.id, entry.uid);
        }
        notify('info', started.length === 1 ? `Added “${started[0]!.snapshot.fileName}”.` : `Added ${started.length} downloads.`);
        return null;
      } catch (reason) {
        return failureSentence(requests.length === 1 ? 'add the download' : 'add the downloads', reason);
      }
    },
    pause: (ids: readonly string[]) => forEach(ids, 'pause', async (id) => upsert(await bridge.pauseDownload({ id }))),
    resume: (ids: readonly string[]) => forEach(ids, 'resume', async (id) => upsert(await bridge.resumeDownload({ id }))),
    retry: (ids: readonly string[]) =>
      forEach(ids, 'retry', async (id) => {
        upsert(await bridge.retryDownload({ id }));
        // A retried download has a result again: follow it like a new one.
        const { uid } = await bridge.attachDownload({ id });
        results.track(id, uid);
      }),
    /** Cancels through the held result handle (Crochet's cancel()), else by id. */
    cancel: (ids: readonly string[]) =>
      forEach(ids, 'cancel', async (id) => {
        if (await results.cancel(id)) return;
        upsert(await bridge.cancelDownload({ id, deleteFile: false }));
      }),
    remove: (ids: readonly string[], deleteFile: boolean) =>
      forEach(ids, 'remove', async (id) => {
        await bridge.removeDownload({ id, deleteFile });
        stores.downloads.getState().applyChange({ kind: 'removed', id });
        stores.view.getState().forget(stores.downloads.getState().byId);
      }),
    /** Sets one download's own limit (0 lifts it). Returns an error sentence, or null. */
    setSpeedLimit: async (id: string, bytesPerSecond: number): Promise<string | null> => {
      try {
        upsert(await bridge.setDownloadSpeedLimit({ id, bytesPerSecond }));
        return null;
      } catch (reason) {
        return failureSentence('change the speed limit', reason);
      }
    },
    refreshUrl: async (id: string, url: string): Promise<string | null> => {
      try {
        upsert(await bridge.refreshUrl({ id, url }));
        return null;
      } catch (reason) {
        return failureSentence('use the new link', reason);
      }
    },
    /** Opens a completed file (Enter, double click); in a browser there is nothing to open it with. */
    openFile: (id: string) => {
      if (stores.connection.getState().appInfo?.host === 'browser') {
        notify('info', `Files open in the desktop app; in the browser, “Copy file path” gives you where it is.`);
        return Promise.resolve();
      }
      return forEach([id], 'open', (target) => bridge.openFile({ id: target }));
    },
    showInFolder: (id: string) => forEach([id], 'show', (target) => bridge.showInFolder({ id: target })),
    async copyText(text: string, done: string) {
      try {
        await navigator.clipboard.writeText(text);
        notify('info', done);
      } catch {
        notify('danger', 'Could not copy: the clipboard is not available here. Select the text in the details panel instead.');
      }
    },
    pauseAll: () => forEach(['all'], 'pause all downloads', () => bridge.pauseAll({})),
    resumeAll: () => forEach(['all'], 'resume all downloads', () => bridge.resumeAll({})),
    async updateSettings(patch: Partial<Settings>): Promise<string | null> {
      try {
        stores.settings.getState().setSettings(await bridge.updateSettings({ patch }));
        return null;
      } catch (reason) {
        return failureSentence('save the settings', reason);
      }
    },
    async chooseDirectory(): Promise<string | null> {
      try {
        return await bridge.chooseDirectory({});
      } catch (reason) {
        notify('danger', failureSentence('open the folder picker', reason));
        return null;
      }
    },
  };
}

export type Actions = ReturnType<typeof createActions>;
