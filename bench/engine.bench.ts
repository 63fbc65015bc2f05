/**
 * `npm run bench:engine`: Skein's CLI against curl and aria2c, on the same files
 * served by nginx on loopback, in one run. Prints a table of wall time, CPU time
 * (user + system of the whole process tree) and ratios, and the reactor process's
 * peak RSS, then writes the table into BENCHMARKS.md.
 *
 *   SKEIN_BENCH_RUNS=5   rounds per case, contenders taking turns (the median is kept)
 *   SKEIN_BENCH_QUICK=1  smaller files, for trying the script out (BENCHMARKS.md untouched)
 *   SKEIN_BENCH_CASES=3  only these cases (1: 1 GiB, 2: 200 MB, 3: 200 files; BENCHMARKS.md untouched)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, startNginx, type NginxServer } from '../main/testing/nginx.ts';

const ROOT = new URL('..', import.meta.url).pathname;
// What `npm run cli` runs: the launcher, which runs the CLI in its own process with the compile cache on.
const CLI = join(ROOT, 'main/cli/launch.mjs');
const RUNS = Number(process.env.SKEIN_BENCH_RUNS ?? 5);
const QUICK = process.env.SKEIN_BENCH_QUICK === '1';
const CASES = new Set((process.env.SKEIN_BENCH_CASES ?? '1,2,3').split(',').map((item) => item.trim()));
const ALL_CASES = ['1', '2', '3'].every((name) => CASES.has(name));
const MiB = 1 << 20;
const BIG = QUICK ? 128 * MiB : 1024 * MiB;
const MEDIUM = QUICK ? 40_000_000 : 200_000_000;
const SMALL_COUNT = QUICK ? 40 : 200;

interface Measure {
  wallMs: number;
  cpuMs: number;
  /** Fastest and slowest round's wall time (a contender's median only); null for a single run. */
  wallRangeMs?: [number, number];
  /** Peak RSS of the reactor process (Skein only), bytes. */
  reactorPeakRss: number | null;
}

function which(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function writeFile(path: string, size: number): void {
  const chunk = randomBytes(16 * MiB);
  const fd = openSync(path, 'w');
  for (let written = 0; written < size; written += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
  closeSync(fd);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Descendant pids of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (list) children.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function isReactor(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('reactor');
  } catch {
    return false;
  }
}

/**
 * Runs a command under bash and reads `times` afterwards: the user and system time
 * of every descendant bash waited for (and they for theirs), so the reactor counts too.
 */
function measure(argv: string[], cwd: string, watchReactor: boolean): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', '"$@" >/dev/null 2>"$SKEIN_BENCH_ERR"; status=$?; times >&2; exit $status', 'bench', ...argv], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SKEIN_BENCH_ERR: join(cwd, '.bench-stderr') },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    let reactorPeak = 0;
    // The process tree is walked until the reactor turns up; from then on only its status is read.
    let reactorPid: number | null = null;
    const sampler = watchReactor
      ? setInterval(() => {
          reactorPid ??= descendants(child.pid!).find(isReactor) ?? null;
          if (reactorPid !== null) reactorPeak = Math.max(reactorPeak, peakRss(reactorPid));
        }, 50)
      : null;
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (sampler) clearInterval(sampler);
      if (code !== 0) {
        let detail = '';
        try {
          detail = readFileSync(join(cwd, '.bench-stderr'), 'utf8').slice(-2000);
        } catch {
          // none
        }
        reject(new Error(`${argv.join(' ')} exited ${code}: ${detail}`));
        return;
      }
      // `times` prints two lines: the shell's own times, then its children's.
      const childrenLine = stderr.trim().split('\n').at(-1) ?? '';
      const seconds = [...childrenLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      resolve({ wallMs, cpuMs: ((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000, reactorPeakRss: watchReactor ? reactorPeak : null });
    });
    child.on('error', reject);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Contender {
  label: string;
  argv: string[];
  /**
   * Sample the reactor's peak RSS (every 50 ms, reading /proc). Only where that
   * figure is reported: the sampling takes CPU the contender would not get.
   */
  watchReactor?: boolean;
}

/**
 * Runs the contenders in turns (A B A B ...) rather than A A A B B B: this shared
 * machine drifts from one minute to the next, and turns expose every contender
 * to the same drift. Median per contender.
 */
async function interleave(prepare: () => void, contenders: Contender[], cwd: string): Promise<Measure[]> {
  const runs: Measure[][] = contenders.map(() => []);
  for (let round = 0; round < RUNS; round += 1) {
    for (const [index, contender] of contenders.entries()) {
      prepare();
      const result = await measure(contender.argv, cwd, contender.watchReactor ?? false);
      runs[index]!.push(result);
      process.stdout.write(`  ${contender.label} run ${round + 1}: ${(result.wallMs / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU\n`);
    }
  }
  return runs.map((list, index) => {
    const peaks = list.map((run) => run.reactorPeakRss ?? 0);
    const walls = list.map((run) => run.wallMs);
    return {
      wallMs: median(walls),
      cpuMs: median(list.map((run) => run.cpuMs)),
      wallRangeMs: [Math.min(...walls), Math.max(...walls)] as [number, number],
      reactorPeakRss: contenders[index]!.watchReactor ? Math.max(...peaks) : null,
    };
  });
}

function skeinArgs(state: string, out: string, extra: string[], urls: string[]): string[] {
  return [process.execPath, CLI, 'get', ...urls, '--dir', out, '--state', state, '--quiet', ...extra];
}

async function main(): Promise<void> {
  const nginxBinary = findNginx();
  const curl = which('curl');
  const aria2c = which('aria2c');
  if (!nginxBinary || !curl || !aria2c) {
    console.error(`bench:engine needs nginx, curl and aria2c (apt-get install -y nginx curl aria2); missing: ${[!nginxBinary && 'nginx', !curl && 'curl', !aria2c && 'aria2c'].filter(Boolean).join(', ')}`);
    process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'skein-bench-'));
  const served = join(work, 'served');
  const out = join(work, 'out');
  mkdirSync(join(served, 'small'), { recursive: true });
  console.log(`preparing files in ${served} ...`);
  writeFile(join(served, 'big.bin'), BIG);
  writeFile(join(served, 'medium.bin'), MEDIUM);
  for (let index = 0; index < SMALL_COUNT; index += 1) writeFileSync(join(served, 'small', `f${index}.bin`), randomBytes(MiB));
  const bigSha = await sha256Of(join(served, 'big.bin'));
  let nginx: NginxServer | null = null;
  const rows: string[][] = [];
  const checks: string[] = [];
  /** Per case, how far apart the rounds were: this machine's noise, next to the medians it blurs. */
  const spreads: string[] = [];
  try {
    nginx = await startNginx({ root: served, limitRate: '20m' });
    const origin = nginx.origin;
    const fresh = (): void => {
      rmSync(out, { recursive: true, force: true });
      rmSync(join(work, 'state'), { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      // curl and aria2c leave their output to the kernel's writeback (Skein syncs its own before the
      // final rename): without this, the next run, whoever's, would pay for writing the last one back.
      execFileSync('sync');
    };
    const smallUrls = Array.from({ length: SMALL_COUNT }, (_, index) => `${origin}/small/f${index}.bin`);
    writeFileSync(join(work, 'small-urls.txt'), `${smallUrls.join('\n')}\n`);
    const state = join(work, 'state');
    const aria = (extra: string[]): string[] => [aria2c, '-q', '--allow-overwrite=true', '--auto-file-renaming=false', '--file-allocation=none', '-d', out, ...extra];

    // Untimed: builds the CLI's reactor bundle if its sources changed and fills the compile cache,
    // which a user's first run after an install or an edit pays once.
    fresh();
    await measure(skeinArgs(state, out, [], [smallUrls[0]!]), work, false);

    let peak = 0;
    if (CASES.has('1')) {
      console.log(`1. ${BIG / MiB} MiB, one connection`);
      const [curlBig, skeinBig] = await interleave(fresh, [
        { label: 'curl', argv: [curl, '-sS', '-o', join(out, 'big.bin'), `${origin}/big.bin`] },
        { label: 'skein', argv: skeinArgs(state, out, ['--connections', '1'], [`${origin}/big.bin`]), watchReactor: true },
      ], work) as [Measure, Measure];
      checks.push(`skein ${BIG / MiB} MiB sha256 ${(await sha256Of(join(out, 'big.bin'))) === bigSha ? 'matches' : 'DIFFERS'}`);
      rows.push([`${BIG / MiB} MiB, 1 connection`, 'curl', fmt(curlBig), fmt(skeinBig), ratio(skeinBig.wallMs, curlBig.wallMs, 1.1), ratio(skeinBig.cpuMs, curlBig.cpuMs, 1.5)]);
      peak = skeinBig.reactorPeakRss ?? 0;
      spreads.push(spread(`${BIG / MiB} MiB`, [['curl', curlBig], ['Skein', skeinBig]]));
    }

    if (CASES.has('2')) {
      const mediumLabel = `${Math.round(MEDIUM / 1e6)} MB at 20 MB/s per connection`;
      console.log(`2. ${mediumLabel}`);
      // -k1M: aria2's default 20 MiB minimum split would cap it at 10 connections on this file.
      const [ariaMedium, skein16, skein32] = await interleave(fresh, [
        { label: 'aria2c -x16 -s16', argv: aria(['-x16', '-s16', '-k1M', `${origin}/limited/medium.bin`]) },
        { label: 'skein 16', argv: skeinArgs(state, out, ['--connections', '16'], [`${origin}/limited/medium.bin`]) },
        { label: 'skein 32', argv: skeinArgs(state, out, ['--connections', '32'], [`${origin}/limited/medium.bin`]) },
      ], work) as [Measure, Measure, Measure];
      checks.push(`skein medium file size ${statSync(join(out, 'medium.bin')).size === MEDIUM ? 'matches' : 'DIFFERS'}`);
      rows.push([`${mediumLabel}, 16 connections`, 'aria2c -x16 -s16 -k1M', fmt(ariaMedium), fmt(skein16), ratio(skein16.wallMs, ariaMedium.wallMs, 1.0), ratio(skein16.cpuMs, ariaMedium.cpuMs, null)]);
      rows.push([`${mediumLabel}, 32 connections`, 'aria2c -x16 -s16 -k1M', fmt(ariaMedium), fmt(skein32), ratio(skein32.wallMs, ariaMedium.wallMs, null), ratio(skein32.cpuMs, ariaMedium.cpuMs, null)]);
      spreads.push(spread(`${Math.round(MEDIUM / 1e6)} MB`, [['aria2c', ariaMedium], ['Skein 16', skein16], ['Skein 32', skein32]]));
    }

    if (CASES.has('3')) {
      console.log(`3. ${SMALL_COUNT} files of 1 MiB, 16 at a time`);
      const [ariaSmall, skeinSmall] = await interleave(fresh, [
        { label: 'aria2c -j16', argv: aria(['-j16', '-i', join(work, 'small-urls.txt')]) },
        { label: 'skein', argv: skeinArgs(state, out, ['--max-concurrent', '16'], smallUrls) },
      ], work) as [Measure, Measure];
      checks.push(`skein small files: ${readdirSync(out).length} of ${SMALL_COUNT}`);
      rows.push([`${SMALL_COUNT} files of 1 MiB, 16 at a time`, 'aria2c -j16', fmt(ariaSmall), fmt(skeinSmall), ratio(skeinSmall.wallMs, ariaSmall.wallMs, 1.0), ratio(skeinSmall.cpuMs, ariaSmall.cpuMs, null)]);
      spreads.push(spread(`${SMALL_COUNT} files`, [['aria2c', ariaSmall], ['Skein', skeinSmall]]));
    }

    const table = render(rows, CASES.has('1') ? peak : null, checks, spreads);
    console.log(`\n${table}`);
    // Quick or partial runs are for trying things out; only full runs go on record.
    if (!QUICK && ALL_CASES) writeBenchmarks(table, [nginxBinary, curl, aria2c]);
  } finally {
    await nginx?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function fmt(measure: Measure): string {
  return `${(measure.wallMs / 1000).toFixed(2)} s / ${(measure.cpuMs / 1000).toFixed(2)} s`;
}

function ratio(value: number, reference: number, target: number | null): string {
  const r = value / reference;
  return `${r.toFixed(2)}x${target === null ? '' : r <= target ? ` (target <= ${target.toFixed(2)}x: met)` : ` (target <= ${target.toFixed(2)}x: NOT met)`}`;
}

/** "200 files: aria2c 0.63-0.87 s, Skein 0.69-1.18 s": fastest and slowest round of each contender. */
function spread(title: string, measures: Array<[string, Measure]>): string {
  const range = ([label, measure]: [string, Measure]): string => {
    const [fastest, slowest] = measure.wallRangeMs ?? [measure.wallMs, measure.wallMs];
    return `${label} ${(fastest / 1000).toFixed(2)}-${(slowest / 1000).toFixed(2)} s`;
  };
  return `${title}: ${measures.map(range).join(', ')}`;
}

function render(rows: string[][], peakRss: number | null, checks: string[], spreads: string[]): string {
  const header = ['Case', 'Reference', 'Reference wall / CPU', 'Skein wall / CPU', 'Wall ratio', 'CPU ratio'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  if (peakRss !== null) {
    const rss = `${(peakRss / MiB).toFixed(1)} MiB`;
    lines.push('', `Peak RSS of the reactor process during the ${BIG / MiB} MiB download: ${rss} (target <= 150 MB: ${peakRss <= 150e6 ? 'met' : 'NOT met'})`);
  }
  lines.push('', `Wall time of the fastest and the slowest of the ${RUNS} rounds: ${spreads.join('; ')}.`);
  lines.push('', `Checks: ${checks.join('; ')}.`);
  return lines.join('\n');
}

/** First line a tool prints for its version (nginx prints it on stderr). */
function version(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0]!.trim();
}

function writeBenchmarks(table: string, [nginx, curl, aria2c]: string[]): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let kernel: string;
  try {
    kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {
    kernel = process.platform;
  }
  const section = [
    `## bench:engine, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${kernel}. Node ${process.version}; ${version(nginx!, ['-v'])}; ${version(curl!, ['--version']).split(' ').slice(0, 2).join(' ')}; ${version(aria2c!, ['--version'])}.`,
    `Everything on loopback (127.0.0.1), median of ${RUNS} runs${QUICK ? ', QUICK sizes' : ''}, the contenders of a case taking turns, with \`sync\` before every run. CPU is user + system time of the whole process tree (for Skein: the CLI and its reactor process).`,
    '',
    table,
    '',
  ].join('\n');
  const path = join(ROOT, 'BENCHMARKS.md');
  let existing: string;
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    existing = '# Benchmarks\n\nFigures measured by `npm run bench:*` scripts; newest first.\n\n';
  }
  // The newest run goes first and the one before it stays below for comparison; older
  // bench:engine sections go (other sections stay).
  const sections = [...existing.matchAll(/## bench:engine[^\n]*\n[\s\S]*?(?=\n## |$)/g)];
  let rest = existing;
  for (const stale of sections.slice(1).reverse()) {
    rest = `${rest.slice(0, stale.index)}${rest.slice(stale.index + stale[0].length).replace(/^\n+/, '')}`;
  }
  const marker = rest.indexOf('## ');
  const updated = marker === -1 ? `${rest.trimEnd()}\n\n${section}` : `${rest.slice(0, marker)}${section}\n${rest.slice(marker)}`;
  writeFileSync(path, updated);
  console.log(`\nwrote ${path}`);
}

await main();
