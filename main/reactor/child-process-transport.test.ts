import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReactorExit, ReactorMessage } from '../../shared/reactor/protocol.ts';
import { adoptChildReactor, type EarlyChildState } from './child-process-transport.ts';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'skein-adopt-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Forks `source` the way the CLI's launcher does, keeping what it says until adoption. */
function forkEarly(source: string): { child: ReturnType<typeof fork>; early: EarlyChildState } {
  const script = join(folder, 'child.mjs');
  writeFileSync(script, source);
  const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const early: EarlyChildState = { messages: [], error: null, stop: () => {} };
  const keep = (message: unknown): void => {
    early.messages.push(message);
  };
  child.on('message', keep);
  early.stop = () => child.off('message', keep);
  return { child, early };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('adopting a reactor process forked earlier', () => {
  it('hands over what it said before adoption, in order, then what it says after', async () => {
    const { child, early } = forkEarly(`
      process.send({ t: 'event', topic: 'a', payload: 1 });
      process.send({ t: 'event', topic: 'b', payload: 2 });
      process.on('message', () => process.send({ t: 'event', topic: 'c', payload: 3 }));
    `);
    await settle(300);
    const transport = adoptChildReactor(child, early);
    const heard: ReactorMessage[] = [];
    transport.onMessage((message) => heard.push(message));
    transport.send({ t: 'stop' });
    await settle(200);
    expect(heard.map((message) => (message as { topic: string }).topic)).toEqual(['a', 'b', 'c']);
    expect(early.messages).toHaveLength(2);
    transport.kill();
  });

  it('reports an exit that happened before adoption', async () => {
    const { child, early } = forkEarly('process.exit(7);');
    await new Promise((resolve) => child.once('exit', resolve));
    const transport = adoptChildReactor(child, early);
    const exit = await new Promise<ReactorExit>((resolve) => transport.onExit(resolve));
    expect(exit).toEqual({ code: 7, reason: 'exit code 7' });
  });
});
