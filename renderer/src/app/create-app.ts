import type { SkeinBridge } from '../../../shared/contract/bridge.ts';
import { isFinished } from '../format/download-text.ts';
import { createConnectionStore } from '../stores/connection.ts';
import { createDialogsStore } from '../stores/dialogs.ts';
import { createDownloadsStore } from '../stores/downloads.ts';
import { createNoticesStore } from '../stores/notices.ts';
import { createResultTracker } from '../stores/results.ts';
import { applyTheme, createSettingsStore } from '../stores/settings.ts';
import { createSpeedHistoryStore } from '../stores/speed-history.ts';
import { createViewStore } from '../stores/view.ts';
import { createActions } from './actions.ts';
import { messageOfFailure } from '../bridge/pick-bridge.ts';
import { SEARCH_EVENT } from './events.ts';

export interface AppOptions {
  bridge: SkeinBridge;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Bounded wait of each re-attach cycle. */
  resultWaitMs?: number;
  /** Applies the theme to the document (tests pass a no-op). */
  applyTheme?: typeof applyTheme;
}

/**
 * Builds the window's state: the stores, the actions, and the wiring that lets
 * bridge events update the stores. React only reads from what this returns.
 */
export function createApp(options: AppOptions) {
  const { bridge } = options;
  const stores = {
    downloads: createDownloadsStore(),
    view: createViewStore(),
    settings: createSettingsStore(),
    connection: createConnectionStore(),
    dialogs: createDialogsStore(),
    notices: createNoticesStore(),
    speed: createSpeedHistoryStore(),
  };
  const setTheme = options.applyTheme ?? applyTheme;

  const results = createResultTracker({
    bridge,
    storage: options.storage,
    waitMs: options.resultWaitMs,
    isUnfinished: (id) => {
      const download = stores.downloads.getState().byId.get(id);
      return download !== undefined && !isFinished(download.state);
    },
    onCompleted: (id, snapshot) => {
      stores.downloads.getState().upsert(snapshot);
      stores.notices.getState().push('success', `Downloaded “${snapshot.fileName}”.`);
      void id;
    },
    onFailed: () => {
      // The row already shows why (the engine's change event carries the error).
    },
  });

  const actions = createActions({ bridge, stores, results });
  const disposers: Array<() => void> = [];

  disposers.push(
    bridge.onEvent((event) => {
      switch (event.type) {
        case 'progress':
          stores.downloads.getState().applyProgress(event.updates);
          break;
        case 'download':
          stores.downloads.getState().applyChange(event.change);
          if (event.change.kind === 'removed') stores.view.getState().forget(stores.downloads.getState().byId);
          break;
        case 'settings':
          stores.settings.getState().setSettings(event.settings);
          setTheme(event.settings.theme);
          break;
        case 'reactor': {
          const before = stores.connection.getState().reactor;
          stores.connection.getState().setReactor(event.state, event.message);
          if (event.state === 'running' && before !== 'running') void reload();
          break;
        }
        case 'add-urls':
          stores.dialogs.getState().openAdd(event.urls);
          break;
        case 'command':
          // From the application menu or the tray.
          if (event.command === 'open-settings') stores.dialogs.getState().openSettings();
          else if (event.command === 'add-download') stores.dialogs.getState().openAdd();
          else if (event.command === 'focus-search') window.dispatchEvent(new Event(SEARCH_EVENT));
          break;
      }
    }),
  );

  const sampler = setInterval(() => {
    const { byId, totalSpeed } = stores.downloads.getState();
    stores.speed.getState().sample(byId.values(), totalSpeed);
  }, 1000);
  disposers.push(() => clearInterval(sampler));

  /** Loads (or reloads after a reconnect) everything main knows. */
  async function reload(): Promise<void> {
    try {
      const [info, settings, list] = await Promise.all([bridge.getAppInfo({}), bridge.getSettings({}), bridge.listDownloads({})]);
      stores.connection.getState().setAppInfo(info);
      stores.settings.getState().setSettings(settings);
      setTheme(settings.theme);
      stores.downloads.getState().load(list);
      stores.view.getState().forget(stores.downloads.getState().byId);
      results.resumeStored();
      results.reattachLost();
    } catch (reason) {
      stores.notices.getState().push('danger', `Could not load your downloads: ${messageOfFailure(reason)} Skein will try again when the connection is back.`);
    }
  }

  return {
    stores,
    results,
    actions,
    bridge,
    start: reload,
    reload,
    dispose() {
      results.dispose();
      for (const dispose of disposers.splice(0)) dispose();
    },
  };
}

export type App = ReturnType<typeof createApp>;
export type AppStores = App['stores'];
