import { describe, expect, it } from 'vitest';
import { checkSettingsPatch, defaultSettings, mergeStoredSettings } from './settings.ts';

describe('settings', () => {
  it('defaults to 4 downloads at once, 8 connections each, no limit, a 30 s stall timeout', () => {
    const defaults = defaultSettings('/home/u/Downloads');
    expect(defaults).toMatchObject({ downloadDirectory: '/home/u/Downloads', maxConcurrentDownloads: 4, connectionsPerDownload: 8, globalSpeedLimit: 0, stallTimeoutMs: 30_000 });
  });

  it('rejects out-of-range values with the field named', () => {
    expect(checkSettingsPatch({ connectionsPerDownload: 65 })).toMatchObject({ ok: false, message: expect.stringContaining('connectionsPerDownload') });
    expect(checkSettingsPatch({ downloadDirectory: 'relative/path' }).ok).toBe(false);
    expect(checkSettingsPatch({ nonsense: 1 }).ok).toBe(false);
    expect(checkSettingsPatch({ maxConcurrentDownloads: 2 })).toEqual({ ok: true, patch: { maxConcurrentDownloads: 2 } });
  });

  it('falls back to the default for a stored value that no longer validates', () => {
    const merged = mergeStoredSettings(defaultSettings('/d'), { maxConcurrentDownloads: 999, globalSpeedLimit: 5000, stale: true } as never);
    expect(merged.maxConcurrentDownloads).toBe(4);
    expect(merged.globalSpeedLimit).toBe(5000);
    expect('stale' in merged).toBe(false);
  });
});
