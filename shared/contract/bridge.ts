import type { SerializedError } from '../errors/base.ts';
import type { DownloadChangedEvent } from '../download/engine-api.ts';
import type { ProgressUpdate, Settings } from '../download/types.ts';
import type { ReactorState, RequestInput, RequestName, RequestOutput } from './requests.ts';

/** The only channel names: the preload, main and the browser host import them from here. */
export const CHANNELS = {
  /** renderer -> main, invoke: (name: RequestName, input: unknown) => Reply */
  request: 'skein:request',
  /** main -> renderer: BridgeEvent */
  event: 'skein:event',
} as const;

/** How a request's answer crosses IPC: errors keep their code (Electron would flatten them). */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Everything main pushes to a window. */
export type BridgeEvent =
  | { type: 'progress'; updates: ProgressUpdate[] }
  | { type: 'download'; change: DownloadChangedEvent }
  | { type: 'settings'; settings: Settings }
  | { type: 'reactor'; state: ReactorState; message: string | null }
  /** URLs handed over by a second launch, a dock drop or the menu: open the Add dialog with them. */
  | { type: 'add-urls'; urls: string[] }
  /** A menu item, shortcut or tray item the page carries out. */
  | { type: 'command'; command: AppCommand };

/** What the application menu and the tray ask the page to do. */
export type AppCommand = 'open-settings' | 'add-download' | 'focus-search';

/** A retrieved result, held for this window until waited to completion, cancelled or stashed again. */
export interface ResultHandle<T = unknown> {
  /** At most 30 s per call; rejects with TimeoutError (stash again and retry later). */
  wait(timeoutMs: number): Promise<T>;
  /** Cancels the call (for downloads: cancels the download). */
  cancel(): Promise<void>;
  /** Puts the result back in the stash; returns the new uid. */
  stash(): Promise<number>;
}

export type BridgeRequests = { [Name in RequestName]: (input: RequestInput<Name>) => Promise<RequestOutput<Name>> };

/** `window.skein`: the contract's requests plus the Crochet-style result handles and events. */
export interface SkeinBridge extends BridgeRequests {
  /** Takes the stashed result `uid` (once; a second retrieve fails with UnknownResultError). */
  retrieveResult<T = unknown>(uid: number): ResultHandle<T>;
  /** Listens to every event from main; returns the unsubscribe function. */
  onEvent(listener: (event: BridgeEvent) => void): () => void;
}
