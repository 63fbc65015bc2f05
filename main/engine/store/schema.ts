import type { DatabaseSync } from 'node:sqlite';
import { SkeinError } from '../../../shared/errors/base.ts';

/**
 * The store's schema as an ordered list of migrations. `PRAGMA user_version`
 * records how many have run; each runs in its own transaction, so a crash
 * mid-migration leaves the previous version intact.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: downloads, their segments, settings and the history of finished downloads.
  `
  CREATE TABLE downloads (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    state TEXT NOT NULL,
    directory TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    options TEXT NOT NULL,
    metadata TEXT,
    downloaded_bytes INTEGER NOT NULL DEFAULT 0,
    connections INTEGER NOT NULL,
    speed_limit INTEGER NOT NULL DEFAULT 0,
    checksum TEXT,
    error TEXT,
    retry TEXT,
    restarted_because_changed INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX downloads_by_position ON downloads(position);
  CREATE TABLE segments (
    download_id TEXT NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER,
    downloaded INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (download_id, idx)
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE history (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    file_path TEXT NOT NULL,
    total_bytes INTEGER,
    outcome TEXT NOT NULL,
    error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
  );
  `,
  // 2: a one-row table that a group commit writes, so its commit has something to fsync.
  `
  CREATE TABLE sync_marker (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
  );
  `,
];

/** The store was written by a newer Skein: opening it could corrupt what that version relies on. */
export class StoreVersionError extends SkeinError {
  constructor(found: number, known: number) {
    super('ERR_STORE_TOO_NEW', `The download list was written by a newer version of Skein (schema ${found}; this version knows ${known}).`, {
      details: { found, known },
    });
  }
}

/** Brings `db` up to the newest schema; returns the version it found. */
export function migrate(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const found = row?.user_version ?? 0;
  if (found > MIGRATIONS.length) throw new StoreVersionError(found, MIGRATIONS.length);
  for (let version = found; version < MIGRATIONS.length; version += 1) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version]!);
      // PRAGMA does not take parameters; the value is our own integer.
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return found;
}
