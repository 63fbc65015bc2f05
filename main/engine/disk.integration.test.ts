import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../shared/download/errors.ts';
import type { EngineApi } from '../../shared/download/engine-api.ts';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../testing/fault-server.ts';
import { startEngineProcess, type EngineProcess } from './testing/engine-process.ts';

// A really full disk and a really read-only folder: small tmpfs mounts. Mounting
// needs root (or CAP_SYS_ADMIN); elsewhere these tests skip and say why.

const CLI = new URL('../cli/skein.ts', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'skein-disk-'));
const small = join(root, 'small');
const readOnly = join(root, 'read-only');

function tryMount(target: string, options: string): string | null {
  mkdirSync(target, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', target], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
}

function unmountAll(): void {
  for (const target of [small, readOnly]) {
    try {
      execFileSync('umount', [target], { stdio: 'pipe' });
    } catch {
      // Not mounted.
    }
  }
}

const mountProblem = tryMount(small, 'size=3m') ?? tryMount(readOnly, 'size=1m,ro');
if (mountProblem) {
  unmountAll();
  rmSync(root, { recursive: true, force: true });
  console.log(`skipping the disk tests: cannot mount a tmpfs here (${mountProblem})`);
}

let server: FaultServer;
let engine: EngineProcess | null = null;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function until(process: EngineProcess, id: string, accept: (snapshot: DownloadSnapshot) => boolean): Promise<DownloadSnapshot> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const snapshot = await process.call<EngineApi['getDownload']>('getDownload', id).wait(10_000);
    if (accept(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(snapshot)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(mountProblem !== null)('disk problems', () => {
  beforeAll(async () => {
    server = await startFaultServer();
  });

  afterEach(async () => {
    await engine?.shutdown().catch(() => {});
    engine = null;
  });

  afterAll(async () => {
    await server?.close();
    unmountAll();
    rmSync(root, { recursive: true, force: true });
  });

  it('pauses on a full disk keeping the bytes, and finishes after space is freed and the user retries', async () => {
    const body = patternBytes(2 << 20, 5);
    server.route('/big.bin', { body });
    const filler = join(small, 'filler');
    writeFileSync(filler, Buffer.alloc(2 << 20, 1));
    engine = startEngineProcess(join(root, 'state-full'));
    const [added] = await engine.call<EngineApi['addDownloads']>('addDownloads', [{ url: server.url('/big.bin'), directory: small, connections: 2 }]).wait(10_000);
    const paused = await until(engine, added!.id, (snapshot) => snapshot.state === 'paused' || snapshot.state === 'completed' || snapshot.state === 'failed');
    expect(paused.state).toBe('paused');
    expect(paused.error?.code).toBe('ERR_DISK_FULL');
    expect(paused.error?.message.length).toBeGreaterThan(10);
    expect(statSync(join(small, 'big.bin.part')).isFile()).toBe(true);

    unlinkSync(filler);
    await engine.call<EngineApi['retryDownload']>('retryDownload', added!.id).wait(10_000);
    const done = await engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000);
    expect(sha256(readFileSync(done.filePath))).toBe(sha256(body));
  });

  it('pauses with a clear error when the folder is read-only', async () => {
    server.route('/small.bin', { body: 'hello' });
    engine = startEngineProcess(join(root, 'state-ro'));
    const [added] = await engine.call<EngineApi['addDownloads']>('addDownloads', [{ url: server.url('/small.bin'), directory: readOnly }]).wait(10_000);
    const paused = await until(engine, added!.id, (snapshot) => snapshot.state === 'paused' || snapshot.state === 'failed');
    expect(paused.state).toBe('paused');
    expect(paused.error?.code).toBe('ERR_NOT_WRITABLE');

    // The app's wait goes on (the user may fix the folder and retry); a one-shot caller's ends.
    await expect(engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(300)).rejects.toMatchObject({ code: 'ERR_REACTOR_TIMEOUT' });
    await expect(engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id, { failOnErrorPause: true }).wait(5_000)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' });
  });

  it('makes skein get exit 1 with one line naming the problem when the disk is full', async () => {
    const body = patternBytes(2 << 20, 6);
    server.route('/cli.bin', { body });
    for (const name of readdirSync(small)) rmSync(join(small, name), { force: true });
    const filler = join(small, 'filler-cli');
    writeFileSync(filler, Buffer.alloc(2 << 20, 1));
    try {
      // Not spawnSync: the fault server answering it lives in this process's event loop.
      const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'get', server.url('/cli.bin'), '--dir', small, '--state', join(root, 'state-cli'), '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += String(chunk)));
        child.on('close', (status) => resolve({ status, stderr }));
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^skein: ERR_DISK_FULL: .+/m);
      expect(statSync(join(small, 'cli.bin.part')).isFile()).toBe(true);
    } finally {
      unlinkSync(filler);
    }
  });
});
