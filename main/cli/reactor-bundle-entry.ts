/**
 * The CLI's reactor process as one file (main/cli/reactor-bundle.mjs bundles it
 * from here). Started as the process's entry instead of main/reactor/entry.ts
 * with `--import reactor-preload.ts`, and named as the reactor module too: the
 * engine's functions are this file's exports, and the reactor's import of its
 * own URL returns them without loading anything.
 *
 * Evaluation order is the import order below: the signal handlers first, then
 * the engine (which opens the store at once when SKEIN_STATE_DIR is set), then
 * the reactor server.
 */
import './reactor-preload.ts';
export * from '../engine/reactor-module.ts';
import '../reactor/entry.ts';
