import * as v from 'valibot';
import type { DownloadSnapshot, Settings } from '../download/types.ts';
import * as schema from './schemas.ts';

/**
 * Every request a renderer can make, declared once. The preload, the browser
 * host's WebSocket client, the main-side handlers and the tests all derive from
 * this object. Each request takes one object argument, validated against `input`
 * at the main-process boundary; `output` is a type only.
 */
function request<Output>() {
  return <Input extends v.GenericSchema>(input: Input): { input: Input; output: Output } => ({ input, output: undefined as Output });
}

export interface StartedDownload {
  id: string;
  /** Stash uid of the download's EventualResult: pass it to retrieveResult(uid). */
  uid: number;
  snapshot: DownloadSnapshot;
}

export type ReactorState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface AppInfo {
  version: string;
  platform: string;
  /** Where the renderer is hosted. */
  host: 'electron' | 'browser';
  reactorState: ReactorState;
  /** Whether a native folder picker exists (not in the browser host). */
  canChooseDirectory: boolean;
}

export const requests = {
  /** Adds downloads and returns, for each, its id and the stash uid of its result. */
  startDownloads: request<{ started: StartedDownload[] }>()(
    v.strictObject({ requests: v.pipe(v.array(schema.downloadRequest), v.minLength(1), v.maxLength(1000)) }),
  ),
  /** Stashes a fresh result for an existing, unfinished download (one started earlier or elsewhere). */
  attachDownload: request<{ uid: number }>()(schema.byId),
  /** Every download the engine knows, newest state first as the engine keeps it. */
  listDownloads: request<DownloadSnapshot[]>()(schema.empty),
  /** Pauses one download, keeping its bytes. */
  pauseDownload: request<DownloadSnapshot>()(schema.byId),
  /** Resumes a paused download (validating that the file did not change). */
  resumeDownload: request<DownloadSnapshot>()(schema.byId),
  /** Queues a failed download again with a fresh retry budget. */
  retryDownload: request<DownloadSnapshot>()(schema.byId),
  /** Cancels a download; `deleteFile` also removes what was written. */
  cancelDownload: request<DownloadSnapshot>()(v.strictObject({ id: schema.downloadId, deleteFile: v.boolean() })),
  /** Removes a download from the list; `deleteFile` also removes its file. */
  removeDownload: request<null>()(v.strictObject({ id: schema.downloadId, deleteFile: v.boolean() })),
  /** Swaps in a new URL for an expired link, keeping the bytes when the file is the same. */
  refreshUrl: request<DownloadSnapshot>()(v.strictObject({ id: schema.downloadId, url: schema.httpUrl })),
  /** Limits one download to `bytesPerSecond` (0: unlimited). */
  setDownloadSpeedLimit: request<DownloadSnapshot>()(
    v.strictObject({ id: schema.downloadId, bytesPerSecond: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e12)) }),
  ),
  /** Pauses every unfinished download. */
  pauseAll: request<null>()(schema.empty),
  /** Resumes every paused download. */
  resumeAll: request<null>()(schema.empty),
  getSettings: request<Settings>()(schema.empty),
  /** Applies a partial change to the settings; every window gets a `settings` event. */
  updateSettings: request<Settings>()(v.strictObject({ patch: schema.settingsPatch })),
  /** Opens a completed file with the system's default application. */
  openFile: request<null>()(schema.byId),
  /** Shows a downloaded file in the system's file manager. */
  showInFolder: request<null>()(schema.byId),
  /** Opens an http(s) URL in the default browser (only in response to a user action). */
  openExternal: request<null>()(v.strictObject({ url: schema.httpUrl })),
  /** Asks for a folder with the native picker; null when dismissed or unavailable. */
  chooseDirectory: request<string | null>()(schema.empty),
  /** Version, platform, host and reactor state, for About and status displays. */
  getAppInfo: request<AppInfo>()(schema.empty),
  /** Takes the stashed result `uid` (once) and holds it for this window. */
  resultRetrieve: request<null>()(schema.byUid),
  /** Waits at most `timeoutMs` (capped at 30 s) on a held result. */
  resultWait: request<unknown>()(
    v.strictObject({ uid: schema.resultUid, timeoutMs: v.pipe(v.number(), v.minValue(0), v.maxValue(30_000)) }),
  ),
  /** Cancels a held result (for downloads: cancels the download) and stops holding it. */
  resultCancel: request<null>()(schema.byUid),
  /** Stashes a held result again; returns its new uid. */
  resultStash: request<{ uid: number }>()(schema.byUid),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<Name extends RequestName> = v.InferInput<Requests[Name]['input']>;
export type RequestOutput<Name extends RequestName> = Requests[Name]['output'];

export const requestNames = Object.keys(requests) as RequestName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}
