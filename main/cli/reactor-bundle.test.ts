import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patternBytes, startFaultServer, type FaultServer } from '../testing/fault-server.ts';
import { selfSignedCertificate } from '../testing/self-signed.ts';
import { ENGINE_MODULE, reactorModulePath, reactorSpawnOptions, useReactorBundle } from './early-reactor.ts';

const LAUNCHER = fileURLToPath(new URL('./launch.mjs', import.meta.url));

interface BundleTool {
  freshBundle(directory: string, root?: string): string | null;
  buildBundle(directory: string): Promise<string | null>;
}

const tool = (await import(fileURLToPath(new URL('./reactor-bundle.mjs', import.meta.url)) as string)) as BundleTool;

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'skein-bundle-'));
});

afterEach(() => {
  useReactorBundle(null);
  rmSync(folder, { recursive: true, force: true });
});

describe('the reactor bundle of the CLI', () => {
  it('is fresh only while every file it was built from keeps its size and modification time', () => {
    const source = join(folder, 'source.ts');
    writeFileSync(source, 'export const a = 1;\n');
    const bundles = join(folder, 'bundles');
    mkdirSync(bundles);
    writeFileSync(join(bundles, 'reactor-x.mjs'), '');
    const stats = statSync(source);
    writeFileSync(join(bundles, 'manifest.json'), JSON.stringify({ format: 1, bundle: 'reactor-x.mjs', inputs: [['source.ts', stats.size, stats.mtimeMs]] }));
    expect(tool.freshBundle(bundles, folder)).toBe(join(bundles, 'reactor-x.mjs'));

    writeFileSync(source, 'export const a = 22;\n');
    expect(tool.freshBundle(bundles, folder)).toBeNull();
  });

  it('is not fresh without a manifest, with a damaged one, or when the bundle file is gone', () => {
    expect(tool.freshBundle(folder)).toBeNull();
    writeFileSync(join(folder, 'manifest.json'), '{"format":1,"bundle":');
    expect(tool.freshBundle(folder)).toBeNull();
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ format: 1, bundle: 'reactor-gone.mjs', inputs: [] }));
    expect(tool.freshBundle(folder)).toBeNull();
  });

  it('is built from the engine sources and then found fresh', async () => {
    const bundle = await tool.buildBundle(folder);
    expect(bundle).not.toBeNull();
    expect(tool.freshBundle(folder)).toBe(bundle);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { inputs: Array<[string, number, number]> };
    const inputs = manifest.inputs.map(([path]) => path);
    expect(inputs).toContain(join('main', 'engine', 'reactor-module.ts'));
    expect(inputs).toContain(join('main', 'reactor', 'entry.ts'));
  });

  it('leaves out node:http2, node:http and node:assert, which undici loads at start for what the engine never does', async () => {
    const bundle = await tool.buildBundle(folder);
    const code = readFileSync(bundle!, 'utf8');
    expect(code).not.toMatch(/require\(["']node:http2["']\)/);
    expect(code).not.toMatch(/require\(["'](node:)?http["']\)/);
    expect(code).not.toMatch(/require\(["'](node:)?assert["']\)/);
    // In their place: the stand-ins, which the manifest watches like any other source.
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { inputs: Array<[string, number, number]> };
    expect(manifest.inputs.map(([path]) => path)).toEqual(expect.arrayContaining([join('main', 'engine', 'http', 'http-unused.ts'), join('main', 'engine', 'http', 'assert-stand-in.cjs')]));
  });

  it("keeps undici's invariant checks: the assert stand-in throws as node:assert does", async () => {
    const require = createRequire(import.meta.url);
    const standIn = require('../engine/http/assert-stand-in.cjs') as (value: unknown, message?: string) => void;
    expect(() => standIn(1)).not.toThrow();
    expect(() => standIn(0)).toThrow(expect.objectContaining({ code: 'ERR_ASSERTION', name: 'AssertionError' }));
    expect(() => standIn(false, 'parser state')).toThrow('parser state');
  });

  it('replaces both the reactor entry and the engine module when in use', () => {
    expect(reactorModulePath()).toBe(ENGINE_MODULE);
    expect(reactorSpawnOptions('/state').execArgv).toContain('--import');
    useReactorBundle('/cache/reactor-1.mjs');
    const options = reactorSpawnOptions('/state');
    expect(options.entry).toBe('/cache/reactor-1.mjs');
    expect(options.execArgv).not.toContain('--import');
    expect(options.execArgv).toContain('--max-semi-space-size=1');
    expect(reactorModulePath()).toBe('/cache/reactor-1.mjs');
  });
});

describe('skein get through the launcher (npm run cli)', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('builds the bundle on first use and downloads with the bundled reactor, twice', async () => {
    const body = patternBytes(3 << 20, 7);
    // Slow enough (4 connections at 2 MiB/s) to see which file the reactor process runs.
    server.route('/bundled.bin', { body, throttle: 2 << 20 });
    const bundles = join(folder, 'bundles');
    for (const run of [1, 2]) {
      const out = join(folder, `out-${run}`);
      mkdirSync(out);
      const running = launch(['get', `${server.origin}/bundled.bin`, '--dir', out, '--state', join(folder, `state-${run}`), '--connections', '4', '--quiet'], bundles);
      const reactorCommand = await reactorOf(running);
      const result = await running.done;
      if (process.platform === 'linux') expect(reactorCommand).toContain(bundles);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(createHash('sha256').update(readFileSync(join(out, 'bundled.bin'))).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
      expect(existsSync(join(bundles, 'manifest.json'))).toBe(true);
    }
  });
});

interface Launched {
  pid: number;
  done: Promise<{ code: number | null; stderr: string }>;
}

/** The command line of the launcher's child process (its reactor), from Linux's /proc; null elsewhere. */
async function reactorOf(launched: Launched): Promise<string | null> {
  let settled = false;
  void launched.done.finally(() => (settled = true));
  while (!settled && process.platform === 'linux') {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) \S+ /, '').split(' ')[0]);
        if (parent === launched.pid) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        // That process ended meanwhile.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

describe('skein get over HTTPS through the bundled reactor', () => {
  it('downloads from a server whose certificate the user trusts (NODE_EXTRA_CA_CERTS)', async (context) => {
    const certificates = join(folder, 'tls');
    mkdirSync(certificates);
    const certificate = selfSignedCertificate(certificates);
    if (certificate === null) return context.skip('openssl is not installed: no certificate to test with');
    const body = patternBytes(1 << 20, 9);
    const server = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (_request, response) => {
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const out = join(folder, 'out');
      mkdirSync(out);
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/secure.bin`;
      const result = await launch(['get', url, '--dir', out, '--state', join(folder, 'state'), '--quiet'], join(folder, 'bundles'), { NODE_EXTRA_CA_CERTS: certificate.certPath }).done;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(readFileSync(join(out, 'secure.bin')).equals(Buffer.from(body))).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function launch(args: string[], bundleDirectory: string, env: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(process.execPath, [LAUNCHER, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, SKEIN_REACTOR_BUNDLE_DIR: bundleDirectory },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { pid: child.pid!, done };
}
