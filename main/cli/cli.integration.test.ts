import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadStore } from '../engine/store/download-store.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../testing/fault-server.ts';

// The real `skein` command in a child process (with its reactor grandchild).

const CLI = new URL('./skein.ts', import.meta.url).pathname;
let root: string;
let downloads: string;
let stateDir: string;
let server: FaultServer;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `ownGroup` puts it (and its reactor) in a process group of their own, like a terminal job. */
function skein(args: string[], ownGroup = false): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: ownGroup });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'skein-cli-'));
  downloads = join(root, 'out');
  stateDir = join(root, 'state');
  mkdirSync(downloads);
  server = await startFaultServer();
});

afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the skein command', () => {
  it('exits 2 with the usage text for bad arguments', async () => {
    const run = await skein(['get', '--connections', '0', 'http://127.0.0.1/x']).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^skein: --connections needs a whole number/);
    expect(run.stderr).toContain('usage: skein get <url>...');
  });

  it('downloads several files, one summary line each, and exits 0', async () => {
    const a = patternBytes(3 << 20, 1);
    const b = patternBytes(100_000, 2);
    server.route('/a.bin', { body: a });
    server.route('/b.bin', { body: b });
    const run = await skein(['get', server.url('/a.bin'), server.url('/b.bin'), '--dir', 'out', '--state', stateDir, '--connections', '4']).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith(join(downloads, 'a.bin')))).toBe(true);
    expect(sha256(readFileSync(join(downloads, 'a.bin')))).toBe(sha256(a));
    expect(sha256(readFileSync(join(downloads, 'b.bin')))).toBe(sha256(b));
  });

  it('sends --header values, honours --limit, and runs --max-concurrent downloads at a time', async () => {
    server.route('/first.bin', { body: patternBytes(300_000, 5) });
    server.route('/second.bin', { body: patternBytes(300_000, 6) });
    const started = Date.now();
    const run = await skein([
      'get', server.url('/first.bin'), server.url('/second.bin'),
      '--dir', 'out', '--state', stateDir, '--header', 'X-Skein-Test: yes', '--limit', '400K', '--max-concurrent', '1', '--connections', '1',
    ]).done;
    expect(run.code).toBe(0);
    // One download after the other, each at 400 KB/s after the limiter's quarter-second burst
    // (100 KB): at least 2 x 200 KB / 400 KB/s = 1 s, however fast the start.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const first = server.requests('/first.bin');
    const second = server.requests('/second.bin');
    expect(first.every((request) => request.headers['x-skein-test'] === 'yes')).toBe(true);
    expect(second[0]!.at).toBeGreaterThan(first[0]!.at + 500);
    // --max-concurrent applied to this run only: the setting the app sees is back.
    const store = DownloadStore.openForReading(join(stateDir, 'skein.sqlite'));
    expect(store.loadSettings().maxConcurrentDownloads).toBe(4);
    store.close();
  });

  it('exits 1 with one "skein: <code>: <message>" line per failure and no stack trace', async () => {
    server.route('/ok.bin', { body: 'fine' });
    server.route('/gone.bin', { status: 404 });
    const run = await skein(['get', server.url('/ok.bin'), server.url('/gone.bin'), 'ftp://127.0.0.1/x', '--dir', 'out', '--state', stateDir]).done;
    expect(run.code).toBe(1);
    const errors = run.stderr.trim().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^skein: ERR_HTTP_STATUS: .+/), expect.stringMatching(/^skein: ERR_URL_SCHEME_UNSUPPORTED: .+/)]));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(downloads, 'ok.bin'), 'utf8')).toBe('fine');
  });

  it('reports a destination folder that does not exist, and lists nothing lost', async () => {
    server.route('/x.bin', { body: 'x' });
    const run = await skein(['get', server.url('/x.bin'), '--dir', 'no/such/folder', '--state', stateDir]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: ERR_DIRECTORY_MISSING: .+\n$/);
    const list = await skein(['list', '--state', stateDir]).done;
    expect(list.stdout).toMatch(/paused .*ERR_DIRECTORY_MISSING/);
    const empty = await skein(['list', '--state', join(root, 'fresh-state')]).done;
    expect([empty.code, empty.stdout]).toEqual([0, 'No downloads.\n']);
  });

  it('fails a checksum mismatch and keeps the .part for inspection', async () => {
    server.route('/sum.bin', { body: 'not what you expected' });
    const run = await skein(['get', server.url('/sum.bin'), '--dir', 'out', '--state', stateDir, '--sha256', '0'.repeat(64)]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: ERR_CHECKSUM_MISMATCH: /);
    expect(readdirSync(downloads)).toEqual(['sum.bin.part']);
  });

  it('resumes where it stopped when killed and run again with the same arguments', async () => {
    const body = patternBytes(4 << 20, 3);
    server.route('/resume.bin', { body, throttle: 1 << 20 });
    const args = ['get', server.url('/resume.bin'), '--dir', 'out', '--state', stateDir, '--connections', '2'];
    const first = skein(args);
    // Kill once bytes are claimed on disk (the .part has grown and a second passed).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGKILL');
    await first.done;
    // The list survives the kill (read straight from the store the dead engine left).
    const afterKill = await skein(['list', '--state', stateDir]).done;
    expect(afterKill.stdout).toMatch(/(downloading|connecting|queued)\s+\d+%.*resume\.bin/);
    const requestsBefore = server.requests('/resume.bin').length;
    const second = await skein(args).done;
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(sha256(readFileSync(join(downloads, 'resume.bin')))).toBe(sha256(body));
    expect(readdirSync(downloads)).toEqual(['resume.bin']);
    const later = server.requests('/resume.bin').slice(requestsBefore);
    expect(later.some((request) => /^bytes=[1-9]/.test(request.headers.range ?? ''))).toBe(true);
    const list = await skein(['list', '--state', stateDir]).done;
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/completed\s+100%/);
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('stops in order on Ctrl-C (SIGINT to the whole job), keeping the download resumable', async () => {
    const body = patternBytes(4 << 20, 4);
    server.route('/interrupt.bin', { body, throttle: 1 << 20 });
    const args = ['get', server.url('/interrupt.bin'), '--dir', 'out', '--state', stateDir, '--connections', '2'];
    const first = skein(args, true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // A terminal's Ctrl-C reaches every process of the foreground job, the reactor too.
    process.kill(-first.child.pid!, 'SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toBe('skein: interrupted; run the same command again to resume\n');
    // Stopped by its stop hook, not killed: stored as waiting to resume, with its bytes.
    const list = await skein(['list', '--state', stateDir]).done;
    expect(list.stdout).toMatch(/queued\s+[1-9]\d?%/);
    const second = await skein(args).done;
    expect(second.code).toBe(0);
    expect(sha256(readFileSync(join(downloads, 'interrupt.bin')))).toBe(sha256(body));
  });
});
