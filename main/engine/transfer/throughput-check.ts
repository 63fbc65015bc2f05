/**
 * A by-hand throughput check of the transfer alone (no reactor, no store):
 *
 *   node --max-semi-space-size=1 main/engine/transfer/throughput-check.ts <url> <directory> [connections] [--keep]
 *
 * (under Node 24; the flag is TRANSFER_PROCESS_FLAGS, as the engine's process gets it)
 *
 * Prints wall time, CPU time (user + system), speed and peak RSS, for comparing
 * with `curl -o` against the same server. The official benchmark is
 * `npm run bench:engine`; this is for quick looks while changing the hot path.
 */
import { rm } from 'node:fs/promises';
import { runTransfer } from './index.ts';
import { recordingCallbacks, unlimited } from './test-support.ts';

const [url, directory, connectionsText, ...flags] = process.argv.slice(2);
if (!url || !directory) {
  console.error('usage: throughput-check.ts <url> <directory> [connections] [--keep]');
  process.exit(2);
}
const connections = Number(connectionsText ?? 1);
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);
const { callbacks, recorded } = recordingCallbacks();
const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
const result = await runTransfer(
  { url, directory, connections, headers: {}, checksum: null, proxy: null, retryLimit: 3, stallTimeoutMs: 30_000, resume: null },
  callbacks,
  unlimited(),
  new AbortController().signal,
);
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
console.log(
  JSON.stringify({
    file: result.filePath,
    bytes: result.bytes,
    connections,
    wallSeconds: Number(seconds.toFixed(3)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    userSeconds: Number((cpu.user / 1e6).toFixed(3)),
    systemSeconds: Number((cpu.system / 1e6).toFixed(3)),
    mebibytesPerSecond: Number((result.bytes / 1048576 / seconds).toFixed(1)),
    peakRssMiB: Number((peakRss / 1048576).toFixed(1)),
    checkpoints: recorded.checkpoints.length,
  }),
);
if (!flags.includes('--keep')) await rm(result.filePath, { force: true });
process.exit(0);
