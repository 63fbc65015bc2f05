import { describe, expect, it } from 'vitest';
import { errorNextStep, errorSentence, problemText, progressPercent, stateLabel } from './download-text.ts';

describe('download text', () => {
  it('counts down to the next retry and says which attempt it is', () => {
    const now = 1_000_000;
    expect(stateLabel({ state: 'retrying', error: null, retry: { attempt: 2, limit: 5, nextAttemptAt: now + 12_000 } }, now)).toBe(
      'Retrying in 12 s (attempt 2 of 5)',
    );
  });

  it('ends error messages as sentences', () => {
    expect(errorSentence({ code: 'ERR_HTTP_STATUS', message: 'The server answered 404 Not Found', status: 404 })).toBe(
      'The server answered 404 Not Found.',
    );
  });

  it('trusts the engine’s sentence for its own codes, and suggests a next step for others', () => {
    expect(errorNextStep({ code: 'ERR_HTTP_STATUS', message: 'The server answered 404: check the link.', status: 404 })).toBeNull();
    expect(problemText({ state: 'failed', error: { code: 'ERR_HTTP_STATUS', message: 'The server answered 404: check the link.', status: 404 } })).toBe(
      'The server answered 404: check the link.',
    );
    expect(errorNextStep({ code: 'ERR_SOMETHING_NEW', message: '', status: 404 })).toMatch(/Check the link/);
    expect(errorNextStep({ code: 'ERR_SOMETHING_NEW', message: '', status: 403 })).toMatch(/Refresh link/);
    expect(errorNextStep({ code: 'ERR_VOLUME_SPACE', message: '' })).toMatch(/disk space/);
    expect(problemText({ state: 'failed', error: { code: 'ERR_WEIRD', message: 'Something odd', status: 502 } })).toBe(
      'Something odd. The server is having trouble; Retry later.',
    );
    expect(problemText({ state: 'completed', error: null })).toBeNull();
  });
});

describe('progress bar fill', () => {
  it('moves without a size only while bytes flow', () => {
    expect(progressPercent({ state: 'downloading', downloadedBytes: 10, totalBytes: null })).toBeNull();
    expect(progressPercent({ state: 'failed', downloadedBytes: 0, totalBytes: null })).toBe(0);
    expect(progressPercent({ state: 'completed', downloadedBytes: 10, totalBytes: null })).toBe(100);
    expect(progressPercent({ state: 'paused', downloadedBytes: 25, totalBytes: 100 })).toBe(25);
  });
});
