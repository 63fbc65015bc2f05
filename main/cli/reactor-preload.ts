/**
 * Loaded (--import) into the CLI's reactor process before anything else.
 *
 * Ctrl-C in a terminal (and `timeout`, or a service manager stopping the job)
 * signals the whole process group: the reactor would die at once, before its stop
 * hook could stop the transfers and persist them. The CLI owns that decision
 * instead: it catches the signal and shuts the reactor down in order, killing it
 * after a grace period if need be. If the CLI itself dies, the reactor sees its
 * IPC channel close and exits (main/reactor/entry.ts), so nothing is left running.
 */
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

// The CLI's reactor always hosts the engine: start loading it (and so opening the
// store, see reactor-module.ts) now, alongside the reactor's own start-up, instead
// of after the host's init message. The reactor's import of the same URL gets this
// module; a failure here is left for that import to report.
import('../engine/reactor-module.ts').catch(() => {});
