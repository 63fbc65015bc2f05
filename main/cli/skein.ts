/**
 * The `skein` command line: `npm run -s cli -- get <url>...` or `... list`.
 * Exit status: 0 all downloads succeeded, 1 any failed, 2 usage error.
 *
 * This entry imports almost nothing before it starts the reactor process for a
 * `get` (see early-reactor.ts); the rest of the CLI loads while that boots.
 */
import { parseArgs } from './args.ts';
import { prespawnReactor } from './early-reactor.ts';

if (import.meta.main) {
  const argv = process.argv.slice(2);
  try {
    const command = parseArgs(argv, process.cwd());
    if (command.command === 'get') prespawnReactor(command.stateDir);
  } catch {
    // A usage error: run.ts reports it.
  }
  const { main } = await import('./run.ts');
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr }, process.cwd());
}
