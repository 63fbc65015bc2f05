import * as v from 'valibot';
import { settingsPatch } from '../../shared/contract/schemas.ts';
import type { Settings } from '../../shared/download/types.ts';
import { defaultDownloadDirectory } from './app-paths.ts';

/** What a fresh install uses; a stored setting overrides its default. */
export function defaultSettings(downloadDirectory: string = defaultDownloadDirectory()): Settings {
  return {
    downloadDirectory,
    maxConcurrentDownloads: 4,
    connectionsPerDownload: 8,
    globalSpeedLimit: 0,
    retryLimit: 8,
    stallTimeoutMs: 30_000,
    notifications: true,
    theme: 'system',
    proxy: null,
    openAtLogin: false,
  };
}

export type PatchCheck = { ok: true; patch: Partial<Settings> } | { ok: false; message: string };

/** Validates a settings patch with the same schema the bridge uses (the CLI calls the engine directly). */
export function checkSettingsPatch(patch: unknown): PatchCheck {
  const result = v.safeParse(settingsPatch, patch);
  if (result.success) return { ok: true, patch: result.output as Partial<Settings> };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}

/**
 * Stored settings merged over the defaults. Values that no longer pass validation
 * (written by hand, or by an older version with other bounds) fall back to their default.
 */
export function mergeStoredSettings(defaults: Settings, stored: Partial<Settings>): Settings {
  const merged: Settings = { ...defaults };
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in defaults)) continue;
    const check = checkSettingsPatch({ [key]: value });
    if (check.ok) Object.assign(merged, check.patch);
  }
  return merged;
}
