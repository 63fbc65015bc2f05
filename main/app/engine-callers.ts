import type { EngineApi } from '../../shared/download/engine-api.ts';
import type { ReactorCaller } from '../../shared/reactor/context.ts';
import { runInReactor } from '../reactor/index.ts';

/** The engine's reactor functions, called from main through the module-level reactor. */
export type EngineCallers = { [Name in keyof EngineApi]: ReactorCaller<EngineApi[Name]> };

const names: Array<keyof EngineApi> = [
  'addDownloads',
  'awaitDownload',
  'pauseDownload',
  'resumeDownload',
  'retryDownload',
  'cancelDownload',
  'removeDownload',
  'refreshUrl',
  'setDownloadSpeedLimit',
  'listDownloads',
  'getDownload',
  'pauseAll',
  'resumeAll',
  'getSettings',
  'updateSettings',
];

/** Callers for every engine function; each call returns an EventualResult at once. */
export function engineCallers(): EngineCallers {
  const callers: Record<string, unknown> = {};
  for (const name of names) callers[name] = runInReactor(name);
  return callers as EngineCallers;
}
