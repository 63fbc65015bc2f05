import { describe, expect, it } from 'vitest';
import { ForbiddenSenderError } from '../../shared/contract/errors.ts';
import { assertTrustedSender, devServerOriginFrom, type SenderFacts } from './sender-policy.ts';

const packaged = { devServerOrigin: null };
const dev = { devServerOrigin: 'http://localhost:5173' };
const appFrame: SenderFacts = { frameUrl: 'app://skein/index.html', isMainFrame: true, isAppWindow: true };

describe('sender validation', () => {
  it('accepts the top frame of an app window showing app://skein', () => {
    expect(() => assertTrustedSender(appFrame, packaged)).not.toThrow();
    expect(() => assertTrustedSender({ ...appFrame, frameUrl: 'app://skein/index.html#/settings' }, packaged)).not.toThrow();
  });

  it.each([
    ['an iframe', { ...appFrame, isMainFrame: false }],
    ['a window that is not ours', { ...appFrame, isAppWindow: false }],
    ['a frame that is gone', { ...appFrame, frameUrl: null }],
    ['a remote page', { ...appFrame, frameUrl: 'https://evil.test/' }],
    ['a local file', { ...appFrame, frameUrl: 'file:///tmp/index.html' }],
    ['another app:// host', { ...appFrame, frameUrl: 'app://evil/index.html' }],
    ['app:// with credentials', { ...appFrame, frameUrl: 'app://user:pw@skein/index.html' }],
    ['the dev server in a packaged app', { ...appFrame, frameUrl: 'http://localhost:5173/' }],
    ['garbage', { ...appFrame, frameUrl: 'not a url' }],
  ])('refuses %s', (_label, facts) => {
    expect(() => assertTrustedSender(facts, packaged)).toThrow(ForbiddenSenderError);
  });

  it('trusts the dev server origin only when unpackaged and on loopback', () => {
    expect(() => assertTrustedSender({ ...appFrame, frameUrl: 'http://localhost:5173/index.html' }, dev)).not.toThrow();
    expect(() => assertTrustedSender({ ...appFrame, frameUrl: 'http://localhost:5174/' }, dev)).toThrow(ForbiddenSenderError);
    expect(devServerOriginFrom('http://localhost:5173/', false)).toBe('http://localhost:5173');
    expect(devServerOriginFrom('http://localhost:5173/', true)).toBeNull();
    expect(devServerOriginFrom('http://192.168.1.4:5173/', false)).toBeNull();
    expect(devServerOriginFrom(undefined, false)).toBeNull();
  });
});
