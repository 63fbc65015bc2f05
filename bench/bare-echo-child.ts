// The baseline of bench/reactor.bench.ts: a child process that answers each
// message at once, with no library in between.
process.on('message', (message) => {
  process.send?.(message);
});
process.on('disconnect', () => process.exit(0));
