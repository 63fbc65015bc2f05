import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export const fixtureModule = fileURLToPath(new URL('./fixture-module.ts', import.meta.url));
export const brokenModule = fileURLToPath(new URL('./broken-module.ts', import.meta.url));

/** A fresh copy of the library (its own module state, its own stash), as a new program would see it. */
export async function freshLibrary(): Promise<typeof import('../index.ts')> {
  vi.resetModules();
  return import('../index.ts');
}

/** Live reactor processes that are children of this test process. */
export function reactorChildren(): number[] {
  const output = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.includes('reactor/entry.ts') && !line.includes('<defunct>'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
