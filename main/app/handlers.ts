import type * as v from 'valibot';
import { ExternalUrlNotAllowedError, UnsupportedByHostError } from '../../shared/contract/errors.ts';
import type { AppInfo, RequestName, RequestOutput, Requests } from '../../shared/contract/requests.ts';
import type { DownloadRequest, DownloadSnapshot, Settings } from '../../shared/download/types.ts';
import { ReactorStoppedError, TimeoutError } from '../../shared/reactor/errors.ts';
import type { EventualResult } from '../../shared/reactor/eventual-result.ts';
import type { EngineCallers } from './engine-callers.ts';
import { resolveDownloadedFile } from './path-guard.ts';
import type { PlatformServices } from './platform.ts';
import type { ClientId, ResultRegistry } from './result-registry.ts';

/** What every handler may use; built once by the service. */
export interface HandlerContext {
  readonly client: ClientId;
  readonly engine: EngineCallers;
  readonly registry: ResultRegistry;
  readonly platform: PlatformServices;
  readonly host: 'electron' | 'browser';
  readonly version: string;
  readonly platformName: string;
  /** Bound on waiting for a reactor call that answers at once (addDownloads, pause...). */
  readonly callTimeoutMs: number;
  reactorState(): AppInfo['reactorState'];
  /** True while the service stops: no re-attaching to a reactor that is going away. */
  stopping(): boolean;
  now(): number;
  /** Last openExternal per client, to refuse bursts no user could have clicked. */
  readonly lastExternalOpen: Map<ClientId, number>;
}

type Parsed<Name extends RequestName> = v.InferOutput<Requests[Name]['input']>;
export type Handlers = { [Name in RequestName]: (ctx: HandlerContext, input: Parsed<Name>) => Promise<RequestOutput<Name>> };

/** Longest wait one resultWait may take; the contract caps timeoutMs at the same value. */
export const MAX_RESULT_WAIT_MS = 30_000;
/** Times one wait re-attaches to a download whose reactor died before giving up. */
const MAX_REATTACH = 5;
const EXTERNAL_OPEN_INTERVAL_MS = 1000;

const answer = <T>(ctx: HandlerContext, result: EventualResult<T>): Promise<T> => result.wait(ctx.callTimeoutMs);

export const handlers: Handlers = {
  async startDownloads(ctx, { requests }) {
    const snapshots = await answer(ctx, ctx.engine.addDownloads(requests as DownloadRequest[]));
    return {
      started: snapshots.map((snapshot) => ({
        id: snapshot.id,
        uid: ctx.registry.stash({ result: ctx.engine.awaitDownload(snapshot.id), downloadId: snapshot.id }),
        snapshot,
      })),
    };
  },
  async attachDownload(ctx, { id }) {
    // Fails here (unknown id) rather than later through the stashed result.
    await answer(ctx, ctx.engine.getDownload(id));
    return { uid: ctx.registry.stash({ result: ctx.engine.awaitDownload(id), downloadId: id }) };
  },
  listDownloads: (ctx) => answer(ctx, ctx.engine.listDownloads()),
  pauseDownload: (ctx, { id }) => answer(ctx, ctx.engine.pauseDownload(id)),
  resumeDownload: (ctx, { id }) => answer(ctx, ctx.engine.resumeDownload(id)),
  retryDownload: (ctx, { id }) => answer(ctx, ctx.engine.retryDownload(id)),
  cancelDownload: (ctx, { id, deleteFile }) => answer(ctx, ctx.engine.cancelDownload(id, { deleteFile })),
  async removeDownload(ctx, { id, deleteFile }) {
    await answer(ctx, ctx.engine.removeDownload(id, { deleteFile }));
    return null;
  },
  refreshUrl: (ctx, { id, url }) => answer(ctx, ctx.engine.refreshUrl(id, url)),
  setDownloadSpeedLimit: (ctx, { id, bytesPerSecond }) => answer(ctx, ctx.engine.setDownloadSpeedLimit(id, bytesPerSecond)),
  async pauseAll(ctx) {
    await answer(ctx, ctx.engine.pauseAll());
    return null;
  },
  async resumeAll(ctx) {
    await answer(ctx, ctx.engine.resumeAll());
    return null;
  },
  getSettings: (ctx) => answer(ctx, ctx.engine.getSettings()),
  updateSettings: (ctx, { patch }) => answer(ctx, ctx.engine.updateSettings(patch as Partial<Settings>)),
  async openFile(ctx, { id }) {
    const snapshot = await answer(ctx, ctx.engine.getDownload(id));
    await ctx.platform.openPath(await resolveDownloadedFile(snapshot, 'open'));
    return null;
  },
  async showInFolder(ctx, { id }) {
    const snapshot = await answer(ctx, ctx.engine.getDownload(id));
    ctx.platform.showItemInFolder(await resolveDownloadedFile(snapshot, 'show'));
    return null;
  },
  async openExternal(ctx, { url }) {
    const protocol = new URL(url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new ExternalUrlNotAllowedError();
    const last = ctx.lastExternalOpen.get(ctx.client);
    const now = ctx.now();
    if (last !== undefined && now - last < EXTERNAL_OPEN_INTERVAL_MS) {
      throw new ExternalUrlNotAllowedError('Links open one at a time, on a click');
    }
    ctx.lastExternalOpen.set(ctx.client, now);
    await ctx.platform.openExternal(url);
    return null;
  },
  async chooseDirectory(ctx) {
    if (!ctx.platform.chooseDirectory) throw new UnsupportedByHostError('There is no folder picker here: type the folder path');
    return ctx.platform.chooseDirectory(ctx.client);
  },
  async getAppInfo(ctx) {
    return {
      version: ctx.version,
      platform: ctx.platformName,
      host: ctx.host,
      reactorState: ctx.reactorState(),
      canChooseDirectory: ctx.platform.chooseDirectory !== undefined,
    };
  },
  async resultRetrieve(ctx, { uid }) {
    ctx.registry.retrieve(ctx.client, uid);
    return null;
  },
  resultWait: (ctx, { uid, timeoutMs }) => waitHeld(ctx, uid, Math.min(timeoutMs, MAX_RESULT_WAIT_MS)),
  async resultCancel(ctx, { uid }) {
    const held = ctx.registry.get(ctx.client, uid);
    ctx.registry.drop(ctx.client, uid);
    held.result.cancel();
    return null;
  },
  async resultStash(ctx, { uid }) {
    return { uid: ctx.registry.stashAgain(ctx.client, uid) };
  },
};

/**
 * Waits on a held result. A result that settles is no longer held; one that times
 * out stays held. A download whose reactor process died is re-attached (the call
 * is queued until the reactor is back) within the same deadline.
 */
async function waitHeld(ctx: HandlerContext, uid: number, timeoutMs: number): Promise<unknown> {
  const deadline = ctx.now() + timeoutMs;
  for (let reattached = 0; ; reattached++) {
    const held = ctx.registry.get(ctx.client, uid);
    try {
      const value = await held.result.wait(Math.max(0, deadline - ctx.now()));
      ctx.registry.drop(ctx.client, uid);
      return value as DownloadSnapshot | unknown;
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      const canReattach =
        error instanceof ReactorStoppedError && held.downloadId !== null && !ctx.stopping() && reattached < MAX_REATTACH && isRestartable(ctx.reactorState());
      if (!canReattach || held.downloadId === null) {
        ctx.registry.drop(ctx.client, uid);
        throw error;
      }
      held.result = ctx.engine.awaitDownload(held.downloadId);
    }
  }
}

function isRestartable(state: AppInfo['reactorState']): boolean {
  return state === 'starting' || state === 'running' || state === 'restarting';
}
