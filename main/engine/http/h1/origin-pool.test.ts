import { describe, expect, it } from 'vitest';
import type { H1Connection } from './connection.ts';
import { OriginPool } from './origin-pool.ts';

/**
 * The per-origin limit and reuse order, with stand-in connections: what the
 * pool reads of a connection is whether it is idle, and the two callbacks it
 * sets (onIdle, onClose), which the tests call as a real connection would.
 */

interface FakeConnection {
  name: string;
  idle: boolean;
  destroyed: boolean;
  onIdle: ((connection: H1Connection) => void) | null;
  onClose: ((connection: H1Connection) => void) | null;
  destroy(): void;
}

function fake(name: string): FakeConnection {
  const connection: FakeConnection = {
    name,
    idle: false,
    destroyed: false,
    onIdle: null,
    onClose: null,
    destroy() {
      connection.destroyed = true;
      connection.idle = false;
      connection.onClose?.(connection as unknown as H1Connection);
    },
  };
  return connection;
}

/** Opens fakes named c1, c2, ... and remembers them. */
function opener(): { open: () => Promise<H1Connection>; opened: FakeConnection[] } {
  const opened: FakeConnection[] = [];
  return {
    opened,
    open: () => {
      const connection = fake(`c${opened.length + 1}`);
      opened.push(connection);
      return Promise.resolve(connection as unknown as H1Connection);
    },
  };
}

const finish = (connection: FakeConnection): void => {
  connection.idle = true;
  connection.onIdle?.(connection as unknown as H1Connection);
};

const never = new AbortController().signal;
const nameOf = (acquired: { connection: H1Connection }): string => (acquired.connection as unknown as FakeConnection).name;

describe('OriginPool', () => {
  it('opens connections up to its limit, then makes a request wait for the first that comes free', async () => {
    const pool = new OriginPool(2);
    const { open, opened } = opener();
    expect(nameOf(await pool.acquire(open, never))).toBe('c1');
    expect(nameOf(await pool.acquire(open, never))).toBe('c2');
    let third: string | null = null;
    const waiting = pool.acquire(open, never).then((acquired) => {
      third = `${nameOf(acquired)} reused=${acquired.reused}`;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBeNull();
    finish(opened[1]!);
    await waiting;
    expect(third).toBe('c2 reused=true');
    expect(opened).toHaveLength(2);
  });

  it('lets a waiting request open a new connection when one at the limit closes', async () => {
    const pool = new OriginPool(1);
    const { open, opened } = opener();
    await pool.acquire(open, never);
    const waiting = pool.acquire(open, never);
    opened[0]!.destroy();
    const acquired = await waiting;
    expect(nameOf(acquired)).toBe('c2');
    expect(acquired.reused).toBe(false);
  });

  it('drops a waiting request whose signal aborts, and keeps the freed connection for the next', async () => {
    const pool = new OriginPool(1);
    const { open, opened } = opener();
    await pool.acquire(open, never);
    const controller = new AbortController();
    const waiting = pool.acquire(open, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    finish(opened[0]!);
    const next = await pool.acquire(open, never);
    expect(nameOf(next)).toBe('c1');
    expect(next.reused).toBe(true);
  });

  it('reuses the most recently freed connection first, and never one that closed while idle', async () => {
    const pool = new OriginPool(4);
    const { open, opened } = opener();
    await Promise.all([pool.acquire(open, never), pool.acquire(open, never), pool.acquire(open, never)]);
    finish(opened[0]!);
    finish(opened[1]!);
    finish(opened[2]!);
    opened[2]!.destroy();
    expect(nameOf(await pool.acquire(open, never))).toBe('c2');
    expect(nameOf(await pool.acquire(open, never))).toBe('c1');
    expect(nameOf(await pool.acquire(open, never))).toBe('c4');
    expect(pool.openCount).toBe(3);
  });
});
