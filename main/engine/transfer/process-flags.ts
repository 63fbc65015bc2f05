/**
 * Node flags for the process that runs transfers (the reactor process, the CLI):
 * pass them in `execArgv` when spawning it.
 *
 * Every socket read allocates a fresh buffer that dies young. With V8's default
 * young generation (semi-spaces growing to 16 MiB and more) they pile up between
 * scavenges and keep touching fresh pages; a 1 MiB semi-space collects them while
 * they are still in cache. Measured on this machine (2 vCPUs shared, Node
 * 24.21), 1 GiB from nginx over loopback into a file, one connection, medians of
 * five runs interleaved with curl:
 *
 *   curl -o            wall 1.22 s  CPU 1.22 s
 *   with the flag      wall 1.19 s  CPU 1.25 s  peak RSS 141 MiB
 *   without it         wall 1.48 s  CPU 1.85 s  peak RSS 186 MiB
 *
 * Setting it with v8.setFlagsFromString after start-up had no measurable effect:
 * it must be on the command line (or in NODE_OPTIONS).
 */
export const TRANSFER_PROCESS_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
