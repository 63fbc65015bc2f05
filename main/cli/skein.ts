/**
 * The `skein` command line: `npm run -s cli -- get <url>...` or `... list`.
 * Exit status: 0 all downloads succeeded, 1 any failed, 2 usage error.
 *
 * Start-up order matters here (a `get` of a small file is mostly start-up): the
 * compile cache first, then the few modules that start the reactor process for a
 * `get` (see early-reactor.ts), then the rest of the CLI while that boots.
 */
import { enableCliCompileCache } from './compile-cache.ts';
import type { Command } from './args.ts';
import type { EarlyReactor } from './early-reactor.ts';

export interface CliLaunch {
  /** The reactor as one bundled file (launch.mjs finds or builds it); null runs it from sources. */
  reactorBundle?: string | null;
  /** The reactor launch.mjs already forked from that bundle, for a `get`. */
  earlyReactor?: EarlyReactor | null;
}

/** Runs the command line in this process; the exit status goes to process.exitCode. */
export async function runCli(argv: readonly string[] = process.argv.slice(2), launch: CliLaunch = {}): Promise<void> {
  enableCliCompileCache();
  const [{ parseArgs }, { adoptEarlyReactor, prespawnReactor, useReactorBundle }] = await Promise.all([import('./args.ts'), import('./early-reactor.ts')]);
  useReactorBundle(launch.reactorBundle ?? null);
  let command: Command | null = null;
  try {
    command = parseArgs(argv, process.cwd());
  } catch {
    // A usage error: run.ts reports it.
  }
  if (launch.earlyReactor) {
    // Not a download after all (a usage error): the launcher's reactor has nothing to do.
    if (command?.command === 'get') adoptEarlyReactor(launch.earlyReactor);
    else launch.earlyReactor.child.kill();
  } else if (command?.command === 'get') {
    prespawnReactor(command.stateDir);
  }
  const { main } = await import('./run.ts');
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr }, process.cwd());
}

if (import.meta.main) await runCli();
