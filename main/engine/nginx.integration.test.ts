import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The host registers the DownloadError codes, so errors from the reactor keep their code.
import '../../shared/download/errors.ts';
import type { EngineApi } from '../../shared/download/engine-api.ts';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { findNginx, startNginx, type NginxServer } from '../testing/nginx.ts';
import { startEngineProcess, type EngineProcess } from './testing/engine-process.ts';

// The engine in its reactor process against Debian's nginx: ETags, Last-Modified,
// ranges and limit_rate from a server no one here wrote.

const nginxBinary = findNginx();
if (!nginxBinary) console.log('skipping the nginx integration tests: nginx is not installed (apt-get install -y nginx)');

let root: string;
let served: string;
let nginx: NginxServer;
let engines: EngineProcess[] = [];

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function start(stateDir: string): EngineProcess {
  const engine = startEngineProcess(stateDir);
  engines.push(engine);
  return engine;
}

async function until(engine: EngineProcess, id: string, accept: (snapshot: DownloadSnapshot) => boolean): Promise<DownloadSnapshot> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const snapshot = await engine.call<EngineApi['getDownload']>('getDownload', id).wait(10_000);
    if (accept(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(snapshot)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!nginxBinary)('the engine against nginx', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'skein-nginx-it-'));
    served = join(root, 'served');
    mkdirSync(served);
    nginx = await startNginx({ root: served, limitRate: '4m' });
  });

  afterAll(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.shutdown().catch(() => {})));
    engines = [];
  });

  it('downloads a 32 MiB file over 8 connections, byte for byte', async () => {
    const body = randomBytes(32 << 20);
    writeFileSync(join(served, 'big.bin'), body);
    const out = mkdtempSync(join(root, 'out-'));
    const engine = start(mkdtempSync(join(root, 'state-')));
    const [added] = await engine.call<EngineApi['addDownloads']>('addDownloads', [{ url: `${nginx.origin}/big.bin`, directory: out, connections: 8 }]).wait(10_000);
    const done = await engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000);
    expect(done.totalBytes).toBe(body.length);
    expect(done.segments.length).toBeGreaterThan(1);
    expect(sha256(readFileSync(join(out, 'big.bin')))).toBe(sha256(body));
  });

  it('resumes after a restart with nginx’s validators, keeping the bytes', async () => {
    const body = randomBytes(24 << 20);
    writeFileSync(join(served, 'resume.bin'), body);
    const out = mkdtempSync(join(root, 'out-'));
    const state = mkdtempSync(join(root, 'state-'));
    const first = start(state);
    const [added] = await first.call<EngineApi['addDownloads']>('addDownloads', [{ url: `${nginx.origin}/limited/resume.bin`, directory: out, connections: 2 }]).wait(10_000);
    // The transfer writes in batches of a few MiB: wait until some have reached the disk.
    await until(first, added!.id, (snapshot) => snapshot.downloadedBytes > 12 << 20);
    await first.shutdown();
    const second = start(state);
    const kept = (await second.call<EngineApi['getDownload']>('getDownload', added!.id).wait(10_000)).downloadedBytes;
    expect(kept).toBeGreaterThan(0);
    const done = await second.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000);
    expect(done.restartedBecauseChanged).toBe(false);
    expect(sha256(readFileSync(join(out, 'resume.bin')))).toBe(sha256(body));
  });

  it('starts over, and says so, when the file changed on the server between attempts', async () => {
    const before = randomBytes(6 << 20);
    const after = randomBytes(6 << 20);
    const path = join(served, 'changing.bin');
    writeFileSync(path, before);
    utimesSync(path, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
    const out = mkdtempSync(join(root, 'out-'));
    const engine = start(mkdtempSync(join(root, 'state-')));
    const [added] = await engine.call<EngineApi['addDownloads']>('addDownloads', [{ url: `${nginx.origin}/limited/changing.bin`, directory: out, connections: 2 }]).wait(10_000);
    await until(engine, added!.id, (snapshot) => snapshot.downloadedBytes > 1 << 20);
    await engine.call<EngineApi['pauseDownload']>('pauseDownload', added!.id).wait(10_000);
    await until(engine, added!.id, (snapshot) => snapshot.state === 'paused');
    writeFileSync(path, after);
    await engine.call<EngineApi['resumeDownload']>('resumeDownload', added!.id).wait(10_000);
    const done = await engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000);
    expect(done.restartedBecauseChanged).toBe(true);
    expect(sha256(readFileSync(join(out, 'changing.bin')))).toBe(sha256(after));
  });

  it('fails a missing file with the 404 in the error', async () => {
    const engine = start(mkdtempSync(join(root, 'state-')));
    const out = mkdtempSync(join(root, 'out-'));
    const [added] = await engine.call<EngineApi['addDownloads']>('addDownloads', [{ url: `${nginx.origin}/nope.bin`, directory: out }]).wait(10_000);
    const error = await engine.call<EngineApi['awaitDownload']>('awaitDownload', added!.id).wait(30_000).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_HTTP_STATUS' });
    const snapshot = await engine.call<EngineApi['getDownload']>('getDownload', added!.id).wait(10_000);
    expect(snapshot.error).toMatchObject({ status: 404 });
  });
});
