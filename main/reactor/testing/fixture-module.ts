/**
 * A reactor module for the library's own tests: each export exercises one
 * behaviour of the protocol (values, errors, cancellation, events, crashes).
 */
import type { ReactorContext } from '../../../shared/reactor/context.ts';
import { SkeinError } from '../../../shared/errors/base.ts';
import { TimeoutError } from '../../../shared/reactor/errors.ts';

const abortedCalls = new Set<string>();
const startedCalls = new Set<string>();
const startedAlreadyAborted = new Set<string>();

export function echo(_ctx: ReactorContext, value: unknown): unknown {
  return value;
}

export async function add(_ctx: ReactorContext, a: number, b: number): Promise<number> {
  return a + b;
}

export function throwSync(_ctx: ReactorContext, message: string): never {
  throw new TypeError(message);
}

export async function rejectLater(_ctx: ReactorContext, message: string): Promise<never> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const error = new SkeinError('ERR_FIXTURE_BROKEN', message, { details: { status: 503 } });
  throw error;
}

export function throwLibraryError(): never {
  throw new TimeoutError('thrown inside the reactor');
}

/** Resolves after `ms`, or rejects as soon as the call is cancelled; records what it saw under `key`. */
export function sleep(ctx: ReactorContext, ms: number, key = ''): Promise<string> {
  startedCalls.add(key);
  if (ctx.signal.aborted) {
    abortedCalls.add(key);
    startedAlreadyAborted.add(key);
    return Promise.reject(ctx.signal.reason);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`slept ${ms}`), ms);
    ctx.signal.addEventListener('abort', () => {
      abortedCalls.add(key);
      clearTimeout(timer);
      reject(ctx.signal.reason);
    });
  });
}

export function wasAborted(_ctx: ReactorContext, key: string): { started: boolean; aborted: boolean; abortedBeforeStart: boolean } {
  return { started: startedCalls.has(key), aborted: abortedCalls.has(key), abortedBeforeStart: startedAlreadyAborted.has(key) };
}

export function pid(): number {
  return process.pid;
}

export function crash(_ctx: ReactorContext, code: number): never {
  process.exit(code);
}

export function emitEvents(ctx: ReactorContext, topic: string, count: number): number {
  for (let index = 0; index < count; index++) ctx.emit(topic, { index });
  return count;
}

export function returnFunction(): unknown {
  return () => 'functions cannot be cloned';
}

export async function reactorWillStop(): Promise<void> {
  const delay = Number(process.env.SKEIN_FIXTURE_STOP_DELAY_MS ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}
