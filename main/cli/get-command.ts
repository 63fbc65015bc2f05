import { ENGINE_EVENTS, type DownloadChangedEvent, type EngineApi, type ProgressEvent } from '../../shared/download/engine-api.ts';
import type { DownloadRequest, DownloadSnapshot } from '../../shared/download/types.ts';
import type { EventualResult } from '../../shared/reactor/eventual-result.ts';
import { runInReactor, subscribe } from '../reactor/index.ts';
import type { GetCommand } from './args.ts';
import { startEngine, stopEngine, errorLine, withLockRetry, type CliIo } from './engine-session.ts';
import { applyProgress, summaryLine, TerminalProgress, type DownloadView } from './progress-view.ts';

const POLL_MS = 100;
const MAX_REATTACH = 10;

interface Tracked {
  id: string;
  view: DownloadView;
  result: EventualResult<DownloadSnapshot>;
  startedAt: number;
  reattached: number;
  error: { code: string; message: string } | null;
  snapshot: DownloadSnapshot | null;
}

const engine = {
  add: runInReactor<EngineApi['addDownloads']>('addDownloads'),
  await: runInReactor<EngineApi['awaitDownload']>('awaitDownload'),
  list: runInReactor<EngineApi['listDownloads']>('listDownloads'),
  resume: runInReactor<EngineApi['resumeDownload']>('resumeDownload'),
  retry: runInReactor<EngineApi['retryDownload']>('retryDownload'),
  setLimit: runInReactor<EngineApi['setDownloadSpeedLimit']>('setDownloadSpeedLimit'),
  getSettings: runInReactor<EngineApi['getSettings']>('getSettings'),
  updateSettings: runInReactor<EngineApi['updateSettings']>('updateSettings'),
};

const CALL_TIMEOUT_MS = 30_000;
/** For this run, a download paused by a disk problem (bytes kept) is a failure to report. */
const AWAIT_OPTIONS = { failOnErrorPause: true } as const;

/**
 * `skein get`: adds (or finds again, after a kill) one download per URL, then polls
 * each one's EventualResult with a short wait, drawing progress between polls.
 */
export async function runGet(command: GetCommand, io: CliIo): Promise<number> {
  startEngine(command.stateDir);
  const bars = io.stdout.isTTY && !command.quiet ? new TerminalProgress(io.stdout) : null;
  const tracked: Tracked[] = [];
  const byId = new Map<string, Tracked>();
  let failures = 0;
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // Without bars nothing needs the engine's events (a disk error's pause ends the wait itself, see
  // awaitDownload's failOnErrorPause): not listening spares the reactor sending them all.
  const disposers = !bars ? [] : [
    subscribe(ENGINE_EVENTS.progress, (payload) => {
      for (const update of (payload as ProgressEvent).updates) {
        const entry = byId.get(update.id);
        if (entry) applyProgress(entry.view, update);
      }
    }),
    subscribe(ENGINE_EVENTS.download, (payload) => {
      const change = payload as DownloadChangedEvent;
      if (change.kind === 'removed') return;
      const entry = byId.get(change.snapshot.id);
      if (!entry || entry.view.outcome) return;
      Object.assign(entry.view, { state: change.snapshot.state, totalBytes: change.snapshot.totalBytes, label: change.snapshot.fileName, retry: change.snapshot.retry });
      // A disk problem pauses the download (bytes kept): for this run it is a failure to report.
      if (change.snapshot.state === 'paused' && change.snapshot.error) {
        entry.error = change.snapshot.error;
        entry.view.outcome = 'failed';
      }
    }),
  ];

  let previousMaxConcurrent: number | null = null;
  try {
    // Sent together, answered in the order sent: the settings are read before this run changes them.
    const [existing, previous] = await withLockRetry(() => {
      const listed = engine.list();
      const settings = command.maxConcurrent !== null ? engine.getSettings() : null;
      const updated = command.maxConcurrent !== null ? engine.updateSettings({ maxConcurrentDownloads: command.maxConcurrent }) : null;
      return Promise.all([listed.wait(CALL_TIMEOUT_MS), settings?.wait(CALL_TIMEOUT_MS) ?? null, updated?.wait(CALL_TIMEOUT_MS)]);
    });
    previousMaxConcurrent = previous?.maxConcurrentDownloads ?? null;
    for (const outcome of await startOrFindAgain(command, existing)) {
      if (!outcome.ok) {
        failures += 1;
        io.stderr.write(`${errorLine(outcome.error)}\n`);
        continue;
      }
      const snapshot = outcome.snapshot;
      const entry: Tracked = {
        id: snapshot.id,
        view: { label: snapshot.fileName, state: snapshot.state, downloadedBytes: snapshot.downloadedBytes, totalBytes: snapshot.totalBytes, speed: 0, etaSeconds: null, outcome: null },
        result: engine.await(snapshot.id, AWAIT_OPTIONS),
        startedAt: Date.now(),
        reattached: 0,
        error: null,
        snapshot: null,
      };
      tracked.push(entry);
      byId.set(entry.id, entry);
    }

    while (!interrupted && tracked.some((entry) => !entry.view.outcome)) {
      const pending = tracked.filter((entry) => !entry.view.outcome);
      await Promise.all(pending.map((entry) => poll(entry)));
      for (const entry of pending) {
        if (!entry.view.outcome) continue;
        if (entry.view.outcome === 'failed') failures += 1;
        if (!bars) report(entry, io);
      }
      bars?.draw(tracked.map((entry) => entry.view));
    }
    if (bars) for (const entry of tracked) if (entry.view.outcome === 'failed') io.stderr.write(`${errorLine(entry.error)}\n`);
  } catch (error) {
    failures += 1;
    io.stderr.write(`${errorLine(error)}\n`);
  } finally {
    for (const dispose of disposers) dispose();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // --max-concurrent was for this run: give the app (and the next run) their setting back.
    if (previousMaxConcurrent !== null) {
      await engine.updateSettings({ maxConcurrentDownloads: previousMaxConcurrent }).wait(5000).catch(() => {});
    }
    await stopEngine();
  }
  if (interrupted) {
    io.stderr.write('skein: interrupted; run the same command again to resume\n');
    return 130;
  }
  return failures > 0 ? 1 : 0;
}

type Started = { ok: true; snapshot: DownloadSnapshot } | { ok: false; error: unknown };

/**
 * One outcome per URL, in order: a download of the same URL into the same folder
 * that is not finished (a run that was killed) is continued; the others are added
 * in one call (one commit), or one by one when the batch is refused, so each bad
 * URL gets its own error line and the good ones still start.
 */
async function startOrFindAgain(command: GetCommand, existing: readonly DownloadSnapshot[]): Promise<Started[]> {
  const outcomes: Array<Started | null> = [];
  const fresh: Array<{ index: number; request: DownloadRequest }> = [];
  for (const [index, url] of command.urls.entries()) {
    const earlier = existing.find(
      (snapshot) => snapshot.url === url && snapshot.directory === command.directory && snapshot.state !== 'completed' && snapshot.state !== 'cancelled',
    );
    if (earlier) {
      outcomes.push(await settle(() => continueEarlier(command, earlier)));
      continue;
    }
    outcomes.push(null);
    fresh.push({ index, request: requestFor(command, url) });
  }
  if (fresh.length > 0) {
    const batch = await settle(() => engine.add(fresh.map((item) => item.request)).wait(CALL_TIMEOUT_MS));
    for (const [position, item] of fresh.entries()) {
      outcomes[item.index] = batch.ok
        ? { ok: true, snapshot: batch.snapshot[position]! }
        : await settle(async () => (await engine.add([item.request]).wait(CALL_TIMEOUT_MS))[0]!);
    }
  }
  return outcomes as Started[];
}

async function continueEarlier(command: GetCommand, earlier: DownloadSnapshot): Promise<DownloadSnapshot> {
  let snapshot = earlier;
  if (snapshot.state === 'paused') snapshot = await engine.resume(snapshot.id).wait(CALL_TIMEOUT_MS);
  else if (snapshot.state === 'failed') snapshot = await engine.retry(snapshot.id).wait(CALL_TIMEOUT_MS);
  if (command.speedLimit !== null) snapshot = await engine.setLimit(snapshot.id, command.speedLimit).wait(CALL_TIMEOUT_MS);
  return snapshot;
}

function requestFor(command: GetCommand, url: string): DownloadRequest {
  const request: DownloadRequest = { url, directory: command.directory };
  if (command.connections !== null) request.connections = command.connections;
  if (command.speedLimit !== null) request.speedLimit = command.speedLimit;
  if (command.sha256 !== null) request.checksum = { algorithm: 'sha256', hex: command.sha256 };
  if (Object.keys(command.headers).length > 0) request.headers = command.headers;
  return request;
}

async function settle<T>(work: () => Promise<T>): Promise<{ ok: true; snapshot: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, snapshot: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One short wait on the download's result; a reactor that died and came back is asked again. */
async function poll(entry: Tracked): Promise<void> {
  try {
    entry.snapshot = await entry.result.wait(POLL_MS);
    Object.assign(entry.view, { outcome: 'done', state: 'completed', downloadedBytes: entry.snapshot.downloadedBytes, totalBytes: entry.snapshot.totalBytes });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_REACTOR_TIMEOUT') return;
    if (code === 'ERR_REACTOR_STOPPED' && entry.reattached < MAX_REATTACH) {
      // The reactor restarts after a crash and recovers the download; wait on it again.
      entry.reattached += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      entry.result = engine.await(entry.id, AWAIT_OPTIONS);
      return;
    }
    if (entry.view.outcome) return;
    entry.error = { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message: (error as Error).message };
    entry.view.outcome = 'failed';
  }
}

function report(entry: Tracked, io: CliIo): void {
  if (entry.view.outcome === 'done' && entry.snapshot) {
    io.stdout.write(`${summaryLine(entry.view, entry.snapshot.filePath, (Date.now() - entry.startedAt) / 1000)}\n`);
  } else if (entry.view.outcome === 'failed') {
    io.stderr.write(`${errorLine(entry.error)}\n`);
  }
}
