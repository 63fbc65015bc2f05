import { resolve } from 'node:path';
import { SkeinError } from '../../shared/errors/base.ts';

/** Bad command-line input: the CLI prints the message and the usage text, and exits 2. */
export class UsageError extends SkeinError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

export const USAGE = `usage: skein get <url>... [--dir DIR] [--connections N] [--max-concurrent N] [--limit RATE]
                 [--sha256 HEX] [--header "K: V"]... [--state DIR] [--quiet]
       skein list [--state DIR]

  get               download each URL; resumes a download of the same URL into the same folder
  list              print the downloads and their states
  --dir DIR         folder to save into (default: the current folder)
  --connections N   connections per download, 1 to 64 (default: the setting, 8)
  --max-concurrent N  downloads at the same time, 1 to 32 (default: the setting, 4)
  --limit RATE      speed limit per download, e.g. 500K, 2M, 1.5MiB (bytes per second)
  --sha256 HEX      verify the file (one URL only) before it gets its final name
  --header "K: V"   extra request header; repeat for more
  --state DIR       folder of the download list (default: the desktop app's data folder)
  --quiet           one summary line per download, no progress bars

exit status: 0 when every download succeeded, 1 when any failed, 2 for usage errors`;

export interface GetCommand {
  command: 'get';
  urls: string[];
  directory: string;
  connections: number | null;
  maxConcurrent: number | null;
  speedLimit: number | null;
  sha256: string | null;
  headers: Record<string, string>;
  stateDir: string | null;
  quiet: boolean;
}

export interface ListCommand {
  command: 'list';
  stateDir: string | null;
}

export type Command = GetCommand | ListCommand | { command: 'help' };

const VALUE_FLAGS = new Set(['--dir', '--connections', '--max-concurrent', '--limit', '--sha256', '--header', '--state']);

/** Parses `argv` (after the program name); throws UsageError. `cwd` resolves relative folders. */
export function parseArgs(argv: readonly string[], cwd: string): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command !== 'get' && command !== 'list') throw new UsageError(`unknown command "${command}"`);
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  let quiet = false;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index]!;
    if (arg === '--') {
      positional.push(...rest.slice(index + 1));
      break;
    }
    if (arg === '--quiet' || arg === '-q') {
      quiet = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 && flag !== arg ? arg.slice(eq + 1) : rest[++index];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      values.set(flag, [...(values.get(flag) ?? []), value]);
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"`);
    positional.push(arg);
  }
  const single = (flag: string): string | null => {
    const all = values.get(flag);
    if (!all) return null;
    if (all.length > 1 && flag !== '--header') throw new UsageError(`${flag} was given more than once`);
    return all[0]!;
  };
  const stateDir = single('--state');
  if (command === 'list') {
    const extra = [...values.keys()].find((flag) => flag !== '--state');
    if (extra || positional.length > 0 || quiet) throw new UsageError(`list takes only --state (got ${extra ?? positional[0] ?? '--quiet'})`);
    return { command: 'list', stateDir: stateDir === null ? null : resolve(cwd, stateDir) };
  }
  if (positional.length === 0) throw new UsageError('get needs at least one URL');
  const sha256 = single('--sha256');
  if (sha256 !== null && !/^[0-9a-fA-F]{64}$/.test(sha256)) throw new UsageError('--sha256 needs 64 hexadecimal digits');
  if (sha256 !== null && positional.length > 1) throw new UsageError('--sha256 checks one file: give exactly one URL with it');
  const directory = single('--dir');
  return {
    command: 'get',
    urls: positional,
    directory: resolve(cwd, directory ?? '.'),
    connections: integerFlag('--connections', single('--connections'), 1, 64),
    maxConcurrent: integerFlag('--max-concurrent', single('--max-concurrent'), 1, 32),
    speedLimit: single('--limit') === null ? null : parseRate(single('--limit')!),
    sha256: sha256?.toLowerCase() ?? null,
    headers: parseHeaders(values.get('--header') ?? []),
    stateDir: stateDir === null ? null : resolve(cwd, stateDir),
    quiet,
  };
}

function integerFlag(flag: string, text: string | null, min: number, max: number): number | null {
  if (text === null) return null;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

const RATE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** "500K", "2M", "1.5MiB", "2mb/s", "1000" → bytes per second; 0 means unlimited. */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*?)(?:\/s)?$/i.exec(text.trim());
  const unit = match ? RATE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UsageError(`--limit needs a rate like 500K, 2M or 1.5MiB, got "${text}"`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes > 1e12) throw new UsageError(`--limit ${text} is too large`);
  return bytes;
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header needs "Name: value", got "${line}"`);
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}
