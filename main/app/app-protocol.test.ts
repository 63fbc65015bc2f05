import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, serveAppRequest } from './app-protocol.ts';

let root: string;
let outside: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skein-renderer-'));
  outside = await mkdtemp(join(tmpdir(), 'skein-outside-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Skein</title>');
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(root, 'assets', 'leak.txt'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('the app:// protocol', () => {
  it('serves the renderer with a strict CSP and the right types', async () => {
    const page = await serveAppRequest(root, 'GET', 'app://skein/index.html');
    expect(page.status).toBe(200);
    expect(page.headers['Content-Type']).toMatch(/^text\/html/);
    expect(page.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    const script = await serveAppRequest(root, 'GET', 'app://skein/assets/app.js');
    expect(script.headers['Content-Type']).toMatch(/^text\/javascript/);
    expect(String(script.body)).toBe('console.log(1)');
  });

  it('answers routes without an extension with index.html', async () => {
    const page = await serveAppRequest(root, 'GET', 'app://skein/downloads/active');
    expect(String(page.body)).toContain('<title>Skein</title>');
  });

  it('dot segments cannot climb out of the renderer folder', async () => {
    const response = await serveAppRequest(root, 'GET', 'app://skein/../../etc/passwd');
    expect(String(response.body)).toContain('<title>Skein</title>');
  });

  it.each([
    'app://skein/../../etc/hostname.txt',
    'app://skein/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://skein/assets/..%2f..%2fsecret.txt',
    'app://skein/assets/leak.txt',
    'app://skein/missing.js',
    'app://other/index.html',
    'app://skein/%00.js',
  ])('refuses %s', async (url) => {
    const response = await serveAppRequest(root, 'GET', url);
    expect(response.status).not.toBe(200);
    expect(String(response.body)).not.toContain('secret');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await serveAppRequest(root, 'POST', 'app://skein/index.html')).status).toBe(405);
  });

  it('the policy forbids eval, inline and remote scripts', () => {
    const scriptSrc = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
