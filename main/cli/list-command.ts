import { existsSync } from 'node:fs';
import { stateDirectory, storePath } from '../engine/app-paths.ts';
import { DownloadStore } from '../engine/store/download-store.ts';
import type { ListCommand } from './args.ts';
import type { CliIo } from './engine-session.ts';
import { formatBytes } from './format.ts';

/**
 * `skein list`: reads the store directly, read-only. It needs no reactor, so it
 * works while the desktop app (or another `skein get`) owns the engine, and it
 * never starts or stops a download as a side effect.
 */
export function runList(command: ListCommand, io: CliIo): number {
  const path = storePath(command.stateDir ?? stateDirectory());
  if (!existsSync(path)) {
    io.stdout.write('No downloads.\n');
    return 0;
  }
  const store = DownloadStore.openForReading(path);
  try {
    const records = store.loadAll();
    if (records.length === 0) {
      io.stdout.write('No downloads.\n');
      return 0;
    }
    for (const record of records) {
      const total = record.metadata?.totalBytes ?? null;
      const percent = total ? `${Math.floor((record.downloadedBytes / total) * 100)}%` : '';
      const size = total === null ? formatBytes(record.downloadedBytes) : `${formatBytes(record.downloadedBytes)}/${formatBytes(total)}`;
      const error = record.error ? `  (${record.error.code}: ${record.error.message})` : '';
      io.stdout.write(`${record.id.slice(0, 8)}  ${record.state.padEnd(11)} ${percent.padStart(4)}  ${size.padEnd(22)} ${record.filePath}  ${record.url}${error}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
