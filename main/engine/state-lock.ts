import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { registerErrorCode, SkeinError } from '../../shared/errors/base.ts';

/** Another live Skein engine owns this state folder (two writers would fight over the queue). */
export class StateLockedError extends SkeinError {
  constructor(stateDir: string, pid: number) {
    super(STATE_LOCKED, `Another Skein (process ${pid}) is using the download list in ${stateDir}. Close it, or use another --state folder.`, {
      details: { stateDir, pid },
    });
  }
}

export const STATE_LOCKED = 'ERR_STATE_LOCKED';

registerErrorCode(STATE_LOCKED, (serialized, cause) => {
  const details = serialized.details ?? {};
  const error = new StateLockedError(String(details.stateDir ?? ''), Number(details.pid ?? -1));
  error.message = serialized.message;
  if (cause) error.cause = cause;
  return error;
});

export interface StateLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the state folder for this process with a pid file created exclusively.
 * A lock left by a process that died (kill -9, power cut) is taken over.
 */
export function lockStateDirectory(stateDir: string): StateLock {
  const path = join(stateDir, 'engine.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    } catch {
      continue;
    }
    if (owner === process.pid) throw new StateLockedError(stateDir, owner);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new StateLockedError(stateDir, owner);
    try {
      unlinkSync(path);
    } catch {
      // Someone else removed the stale lock first; try again.
    }
  }
  throw new StateLockedError(stateDir, -1);
}
