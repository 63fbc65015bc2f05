import { UnknownResultError } from '../../shared/reactor/errors.ts';
import type { EventualResult } from '../../shared/reactor/eventual-result.ts';
import { defaultStash, type ResultStash } from '../../shared/reactor/stash.ts';

/** Who holds a retrieved result: one window (webContents) or one browser-host connection. */
export type ClientId = string;

/** A retrieved result as a window holds it. */
export interface HeldResult {
  result: EventualResult<unknown>;
  /** Set for awaitDownload results: lets main re-attach after a reactor restart. */
  downloadId: string | null;
}

interface ParkedResult {
  held: HeldResult;
  expiresAt: number;
}

export interface ResultRegistryOptions {
  stash?: ResultStash;
  now?: () => number;
  /** How long a released window's results stay retrievable under their uids (a reload). */
  parkMs?: number;
}

/**
 * The stash registry of main. Results are stashed under uids (Crochet's stash);
 * `retrieve` pops a uid once and holds the result for the calling client. When a
 * window reloads or closes its held results are parked under the same uids for a
 * while, so the reloaded page re-attaches with the uids it kept.
 */
export class ResultRegistry {
  readonly #stash: ResultStash;
  readonly #now: () => number;
  readonly #parkMs: number;
  readonly #downloadIdByUid = new Map<number, string>();
  readonly #held = new Map<ClientId, Map<number, HeldResult>>();
  readonly #parked = new Map<number, ParkedResult>();

  constructor(options: ResultRegistryOptions = {}) {
    this.#stash = options.stash ?? defaultStash;
    this.#now = options.now ?? Date.now;
    this.#parkMs = options.parkMs ?? 10 * 60_000;
  }

  /** Stashes a result; `downloadId` marks an awaitDownload result. Returns its uid. */
  stash(held: HeldResult): number {
    if (held.downloadId !== null) observeDownloadFailure(held.result);
    const uid = this.#stash.stash(held.result);
    if (held.downloadId !== null) this.#downloadIdByUid.set(uid, held.downloadId);
    return uid;
  }

  /** Pops `uid` (from the stash, or parked by a reloaded window) and holds it for `client`. */
  retrieve(client: ClientId, uid: number): HeldResult {
    this.#expireParked();
    let held: HeldResult;
    const parked = this.#parked.get(uid);
    if (parked) {
      this.#parked.delete(uid);
      held = parked.held;
    } else {
      held = { result: this.#stash.retrieve(uid), downloadId: this.#downloadIdByUid.get(uid) ?? null };
      this.#downloadIdByUid.delete(uid);
    }
    this.#clientResults(client).set(uid, held);
    return held;
  }

  /** The result `client` holds under `uid`; throws UnknownResultError otherwise. */
  get(client: ClientId, uid: number): HeldResult {
    const held = this.#held.get(client)?.get(uid);
    if (!held) {
      throw new UnknownResultError(`This window holds no result with uid ${uid}: retrieve it first (a uid can be retrieved once)`);
    }
    return held;
  }

  /** Stops holding `uid` for `client` (waited to completion or cancelled). */
  drop(client: ClientId, uid: number): void {
    const results = this.#held.get(client);
    results?.delete(uid);
    if (results?.size === 0) this.#held.delete(client);
  }

  /** Puts a held result back in the stash; returns its new uid. */
  stashAgain(client: ClientId, uid: number): number {
    const held = this.get(client, uid);
    this.drop(client, uid);
    return this.stash(held);
  }

  /** The window closed or reloaded: its results stay retrievable by uid for a while, then go. */
  release(client: ClientId): void {
    this.#expireParked();
    const results = this.#held.get(client);
    if (!results) return;
    this.#held.delete(client);
    const expiresAt = this.#now() + this.#parkMs;
    for (const [uid, held] of results) this.#parked.set(uid, { held, expiresAt });
  }

  /** How many results `client` holds, or (without a client) how many are held or parked in all. */
  heldCount(client?: ClientId): number {
    if (client !== undefined) return this.#held.get(client)?.size ?? 0;
    let count = this.#parked.size;
    for (const results of this.#held.values()) count += results.size;
    return count;
  }

  /** Drops everything (the service stops). Results are not cancelled: downloads go on. */
  clear(): void {
    for (const results of this.#held.values()) for (const held of results.values()) markRead(held);
    for (const parked of this.#parked.values()) markRead(parked.held);
    this.#held.clear();
    this.#parked.clear();
    this.#downloadIdByUid.clear();
  }

  #clientResults(client: ClientId): Map<number, HeldResult> {
    let results = this.#held.get(client);
    if (!results) this.#held.set(client, (results = new Map()));
    return results;
  }

  #expireParked(): void {
    const now = this.#now();
    for (const [uid, parked] of this.#parked) {
      if (parked.expiresAt > now) continue;
      this.#parked.delete(uid);
      markRead(parked.held);
    }
  }
}

const observed = new WeakSet<EventualResult<unknown>>();

/**
 * A download's failure reaches the user through events and notifications even if
 * no window ever retrieves its uid, so it is not an "unread" error to report.
 */
function observeDownloadFailure(result: EventualResult<unknown>): void {
  if (observed.has(result)) return;
  observed.add(result);
  result.wait(Infinity).catch(() => undefined);
}

/** A dropped download result's failure was shown through events: not an unread error. */
function markRead(held: HeldResult): void {
  if (held.downloadId !== null) held.result.originalFailure();
}
