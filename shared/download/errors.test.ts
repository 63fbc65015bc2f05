import { describe, expect, it } from 'vitest';
import { deserializeError, serializeError } from '../errors/base.ts';
import { DOWNLOAD_ERROR_CODES, DownloadError, isDownloadErrorCode, toDownloadErrorInfo } from './errors.ts';
import { describeDownloadError, DOWNLOAD_ERROR_MESSAGES, DOWNLOAD_NOTICES } from './messages.ts';

describe('DownloadError', () => {
  it('has a sentence for every code, and every code is distinct', () => {
    const codes = Object.values(DOWNLOAD_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      const sentence = describeDownloadError(code, {});
      expect(sentence.length).toBeGreaterThan(20);
      expect(sentence).toMatch(/[.!]$/);
      expect(sentence).not.toMatch(/undefined|null|\[object/);
      expect(DOWNLOAD_ERROR_MESSAGES[code]).toBeDefined();
      expect(isDownloadErrorCode(code)).toBe(true);
    }
    expect(isDownloadErrorCode('ERR_SOMETHING_ELSE')).toBe(false);
  });

  it('fills its message from details: the status, the path, the host', () => {
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.httpStatus, undefined, { details: { status: 404 } }).message).toMatch(/404.*not on the server/);
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.notWritable, undefined, { details: { path: '/media/usb' } }).message).toContain('"/media/usb"');
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.hostNotFound, undefined, { details: { host: 'example.invalid' } }).message).toContain('"example.invalid"');
    expect(DOWNLOAD_NOTICES.retryAfter(30)).toContain('30 s');
  });

  it('crosses a process boundary as its own class with its code, details and retry judgement', () => {
    const original = new DownloadError(DOWNLOAD_ERROR_CODES.httpStatus, undefined, { details: { status: 503, retryAfter: '5' }, cause: new Error('socket') });
    const wire = structuredClone(serializeError(original));
    const rebuilt = deserializeError(wire);
    expect(rebuilt).toBeInstanceOf(DownloadError);
    expect(rebuilt).toMatchObject({ code: 'ERR_HTTP_STATUS', retryable: true, details: { status: 503, retryAfter: '5' }, message: original.message });
    const overridden = deserializeError(serializeError(new DownloadError(DOWNLOAD_ERROR_CODES.fileSystem, 'x', { retryable: false })));
    expect((overridden as DownloadError).retryable).toBe(false);
  });

  it('judges retryability by code and status', () => {
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.httpStatus, undefined, { details: { status: 429 } }).retryable).toBe(true);
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.httpStatus, undefined, { details: { status: 403 } }).retryable).toBe(false);
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.stalled).retryable).toBe(true);
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.diskFull).retryable).toBe(false);
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.tls).retryable).toBe(false);
  });

  it('gives the snapshot form, and "unexpected" for anything that is not a DownloadError', () => {
    expect(new DownloadError(DOWNLOAD_ERROR_CODES.httpStatus, undefined, { details: { status: 500 } }).toInfo()).toMatchObject({ code: 'ERR_HTTP_STATUS', status: 500 });
    expect(toDownloadErrorInfo(new TypeError('boom'))).toEqual({ code: 'ERR_UNEXPECTED', message: 'boom' });
  });
});
