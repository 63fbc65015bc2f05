/**
 * npm run bench:reactor — the reactor library's round trip next to a bare
 * child_process message round trip, in the same run on the same machine:
 * sequential latency (p50/p99 over 5,000 calls), pipelined throughput (20,000
 * calls), and heap growth over 100,000 stash/retrieve cycles. The contenders run
 * in alternating rounds in the same run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { collectGarbage } from '../main/reactor/testing/gc.ts';
import { EventualResult, retrieveResult, runInReactor, setup, shutdown } from '../main/reactor/index.ts';

const SEQUENTIAL_CALLS = 5_000;
const PIPELINED_CALLS = 20_000;
const STASH_CYCLES = 100_000;
const WARMUP_CALLS = 1_000;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

interface Measurement {
  p50Ms: number;
  p99Ms: number;
  callsPerSecond: number;
}

type RoundTrip = (value: number) => Promise<unknown>;

const ROUNDS = 10;

/**
 * Measures the contenders in alternating rounds, so that a busy minute on a
 * shared machine slows every contender alike instead of whichever ran then.
 */
async function measureInterleaved(contenders: RoundTrip[]): Promise<Measurement[]> {
  for (const roundTrip of contenders) for (let index = 0; index < WARMUP_CALLS; index++) await roundTrip(index);
  const latencies = contenders.map(() => [] as number[]);
  const pipelinedSeconds = contenders.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [which, roundTrip] of contenders.entries()) {
      for (let index = 0; index < SEQUENTIAL_CALLS / ROUNDS; index++) {
        const started = performance.now();
        await roundTrip(index);
        latencies[which]?.push(performance.now() - started);
      }
      const started = performance.now();
      await Promise.all(Array.from({ length: PIPELINED_CALLS / ROUNDS }, (_, index) => roundTrip(index)));
      pipelinedSeconds[which] = (pipelinedSeconds[which] ?? 0) + (performance.now() - started) / 1000;
    }
  }
  return contenders.map((_, which) => {
    const sorted = (latencies[which] ?? []).sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), callsPerSecond: PIPELINED_CALLS / (pipelinedSeconds[which] ?? NaN) };
  });
}

async function bareChild(serialization: 'advanced' | 'json'): Promise<{ roundTrip: (value: number) => Promise<unknown>; close: () => void }> {
  const child: ChildProcess = fork(here('./bare-echo-child.ts'), [], { serialization, execArgv: ['--disable-warning=ExperimentalWarning'] });
  const waiting = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  child.on('message', (message) => {
    const { id, value } = message as { id: number; value: unknown };
    waiting.get(id)?.(value);
    waiting.delete(id);
  });
  await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
  return {
    roundTrip: (value) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ id, value });
      }),
    close: () => child.kill(),
  };
}

async function heapGrowthOverStashCycles(): Promise<{ beforeMb: number; afterMb: number }> {
  const cycle = (index: number): void => {
    const uid = EventualResult.resolved(index).stash();
    retrieveResult(uid);
  };
  for (let index = 0; index < 10_000; index++) cycle(index);
  await collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < STASH_CYCLES; index++) cycle(index);
  await collectGarbage();
  const after = process.memoryUsage().heapUsed;
  return { beforeMb: before / 2 ** 20, afterMb: after / 2 ** 20 };
}

const format = (value: number, digits = 3): string => value.toFixed(digits);

async function main(): Promise<void> {
  console.log(`reactor benchmark — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);

  const bare = await bareChild('advanced');
  const bareJson = await bareChild('json');
  setup({ module: here('./echo-module.ts') });
  const echo = runInReactor<(context: unknown, value: number) => number>('echo');
  const [bareResult, bareJsonResult, library] = (await measureInterleaved([
    bare.roundTrip,
    bareJson.roundTrip,
    (value) => echo(value).wait(10_000),
  ])) as [Measurement, Measurement, Measurement];
  bare.close();
  bareJson.close();
  await shutdown();

  const heap = await heapGrowthOverStashCycles();

  const rows = [
    ['bare child_process (advanced serialization)', bareResult],
    ['bare child_process (JSON serialization)', bareJsonResult],
    ['reactor library (runInReactor + wait)', library],
  ] as const;
  console.log(`\n${'round trip'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'calls/s'.padStart(10)}`);
  for (const [label, result] of rows) {
    console.log(`${label.padEnd(46)} ${format(result.p50Ms).padStart(8)} ${format(result.p99Ms).padStart(8)} ${Math.round(result.callsPerSecond).toString().padStart(10)}`);
  }
  const latencyRatio = library.p50Ms / bareResult.p50Ms;
  const throughputRatio = library.callsPerSecond / bareResult.callsPerSecond;
  console.log(`\np50 latency: library / bare = ${format(latencyRatio, 2)}x (goal <= 1.5x) ${latencyRatio <= 1.5 ? 'MET' : 'MISSED'}`);
  console.log(`throughput:  library / bare = ${format(throughputRatio, 2)}x (goal >= 0.7x) ${throughputRatio >= 0.7 ? 'MET' : 'MISSED'}`);
  const growth = heap.afterMb - heap.beforeMb;
  console.log(`heap after GC around ${STASH_CYCLES} stash/retrieve cycles: ${format(heap.beforeMb, 2)} MB -> ${format(heap.afterMb, 2)} MB (growth ${format(growth, 2)} MB) ${growth < 0.5 ? 'MET' : 'MISSED'}`);
}

await main();
