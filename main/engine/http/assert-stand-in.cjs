'use strict';
/**
 * Stands in for `node:assert` in the CLI's reactor bundle (main/cli/reactor-bundle.mjs).
 * undici checks its own invariants with `assert(condition)` and uses nothing else of
 * the module; Node's assert loads its diff and colour helpers with it (1 to 2 ms of
 * every start here). A failed invariant still throws at once, with the same code.
 */
function assert(value, message) {
  if (value) return;
  if (message instanceof Error) throw message;
  const error = new Error(message === undefined ? 'The expression evaluated to a falsy value' : String(message));
  error.name = 'AssertionError';
  error.code = 'ERR_ASSERTION';
  throw error;
}
assert.ok = assert;

module.exports = assert;
