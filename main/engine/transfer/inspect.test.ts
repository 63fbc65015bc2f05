import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOWNLOAD_ERROR_CODES as C } from '../../../shared/download/errors.ts';
import { patternBytes, startFaultServer, type FaultServer } from '../../testing/fault-server.ts';
import { inspectUrl, isSameResource } from './inspect.ts';

describe('inspectUrl', () => {
  let server: FaultServer;
  const signal = new AbortController().signal;
  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('tells size, validators and the suggested name after redirects, without reading the body', async () => {
    const body = patternBytes(8 * 1024 * 1024);
    server.route('/link', { redirect: '/files/x' });
    server.route('/files/x', { body, contentDisposition: 'attachment; filename="report.pdf"', throttle: 64 * 1024 });
    const startedAt = Date.now();
    const inspected = await inspectUrl(server.url('/link'), { proxy: null, signal });
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(inspected).toMatchObject({ finalUrl: server.url('/files/x'), totalBytes: body.length, acceptsRanges: true, suggestedName: 'report.pdf' });
    expect(inspected.etag).toMatch(/^"/);
  });

  it('decides whether a refreshed URL serves the same file', async () => {
    const body = patternBytes(100_000);
    server.route('/a', { body });
    server.route('/b', { body });
    server.route('/c', { body: patternBytes(100_000, 2) });
    server.route('/norange', { body, ignoreRange: true });
    const a = await inspectUrl(server.url('/a'), { proxy: null, signal });
    const stored = { totalBytes: a.totalBytes, etag: a.etag, lastModified: a.lastModified };
    expect(isSameResource(stored, await inspectUrl(server.url('/b'), { proxy: null, signal }))).toBe(true);
    expect(isSameResource(stored, await inspectUrl(server.url('/c'), { proxy: null, signal }))).toBe(false);
    expect(isSameResource(stored, await inspectUrl(server.url('/norange'), { proxy: null, signal }))).toBe(false);
    expect(isSameResource({ totalBytes: 100_000, etag: null, lastModified: null }, a)).toBe(false);
  });

  it('reports errors with their codes', async () => {
    server.route('/gone', { status: 410 });
    await expect(inspectUrl(server.url('/gone'), { proxy: null, signal })).rejects.toMatchObject({ code: C.httpStatus, details: { status: 410 } });
    await expect(inspectUrl('mailto:someone@example.com', { proxy: null, signal })).rejects.toMatchObject({ code: C.unsupportedScheme });
  });
});
