import { describe, expect, it } from 'vitest';
import { parseArgs, parseRate } from './args.ts';

const cwd = '/home/u/work';

describe('skein command-line arguments', () => {
  it('reads every option of get, resolving folders against the current one', () => {
    expect(
      parseArgs(
        ['get', 'http://a/x', '--dir', 'out', '--connections=16', '--max-concurrent', '2', '--limit', '2M', '--sha256', 'AB'.repeat(32), '--header', 'X-A: 1', '--header', 'Cookie: k=v', '--state', '/s', '--quiet'],
        cwd,
      ),
    ).toEqual({
      command: 'get',
      urls: ['http://a/x'],
      directory: '/home/u/work/out',
      connections: 16,
      maxConcurrent: 2,
      speedLimit: 2_000_000,
      sha256: 'ab'.repeat(32),
      headers: { 'X-A': '1', Cookie: 'k=v' },
      stateDir: '/s',
      quiet: true,
    });
  });

  it('defaults to the current folder and the settings for everything else', () => {
    expect(parseArgs(['get', 'http://a/x', 'http://a/y'], cwd)).toMatchObject({ urls: ['http://a/x', 'http://a/y'], directory: cwd, connections: null, stateDir: null });
    expect(parseArgs(['list', '--state', 'st'], cwd)).toEqual({ command: 'list', stateDir: '/home/u/work/st' });
  });

  it.each([
    [[], 'help'],
    [['frobnicate'], /unknown command/],
    [['get'], /at least one URL/],
    [['get', 'http://a/x', '--connections', '65'], /1 to 64/],
    [['get', 'http://a/x', '--connections', 'many'], /whole number/],
    [['get', 'http://a/x', '--max-concurrent', '0'], /1 to 32/],
    [['get', 'http://a/x', '--limit', 'fast'], /--limit/],
    [['get', 'http://a/x', '--sha256', 'abc'], /64 hexadecimal/],
    [['get', 'http://a/x', 'http://a/y', '--sha256', 'a'.repeat(64)], /exactly one URL/],
    [['get', 'http://a/x', '--header', 'no colon'], /Name: value/],
    [['get', 'http://a/x', '--dir'], /needs a value/],
    [['get', 'http://a/x', '--bogus'], /unknown option/],
    [['list', 'http://a/x'], /list takes only --state/],
  ])('%j is a usage error', (argv, expected) => {
    if (expected === 'help') {
      expect(parseArgs(argv, cwd)).toEqual({ command: 'help' });
      return;
    }
    expect(() => parseArgs(argv, cwd)).toThrow(expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringMatching(expected) }));
  });

  it('reads rates in decimal and binary units', () => {
    expect(parseRate('1000')).toBe(1000);
    expect(parseRate('500K')).toBe(500_000);
    expect(parseRate('1.5MiB')).toBe(1_572_864);
    expect(parseRate('2mb/s')).toBe(2_000_000);
    expect(parseRate('0')).toBe(0);
  });
});
