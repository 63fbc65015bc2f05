/** What `skein` does with its arguments; the entry point is skein.ts. */
import { parseArgs, USAGE, UsageError } from './args.ts';
import { errorLine, type CliIo } from './engine-session.ts';

export async function main(argv: readonly string[], io: CliIo, cwd: string): Promise<number> {
  let command;
  try {
    command = parseArgs(argv, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`skein: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (command.command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    // Each command loads only its own modules: `get` needs no SQLite here, `list` no reactor.
    if (command.command === 'list') return (await import('./list-command.ts')).runList(command, io);
    return await (await import('./get-command.ts')).runGet(command, io);
  } catch (error) {
    io.stderr.write(`${errorLine(error)}\n`);
    return 1;
  }
}
