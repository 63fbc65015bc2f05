import { fileURLToPath } from 'node:url';
import type { Reply } from '../../../shared/contract/bridge.ts';
import { noSetup } from '../../reactor/index.ts';
import type { PlatformServices } from '../platform.ts';
import { createAppService, type AppService, type AppServiceOptions } from '../service.ts';
import { fakeEngine } from './fake-engine.ts';

export const FAKE_ENGINE_MODULE = fileURLToPath(new URL('./fake-engine.ts', import.meta.url));

/** A platform that records what the service asked of the desktop. */
export function recordingPlatform(options: { withPicker?: boolean } = {}) {
  const opened: string[] = [];
  const shown: string[] = [];
  const external: string[] = [];
  const platform: PlatformServices = {
    openPath: async (path) => void opened.push(path),
    showItemInFolder: (path) => void shown.push(path),
    openExternal: async (url) => void external.push(url),
  };
  if (options.withPicker) platform.chooseDirectory = async () => '/picked/folder';
  return { platform, opened, shown, external };
}

/** The service over the fake engine, run in this process (noSetup), as a window would use it. */
export function startServiceWithFakeEngine(overrides: Partial<AppServiceOptions> = {}) {
  noSetup({ module: FAKE_ENGINE_MODULE });
  const desktop = recordingPlatform({ withPicker: true });
  const service: AppService = createAppService({ host: 'electron', platform: desktop.platform, version: '1.2.3', platformName: 'linux', ...overrides });
  service.start();
  return { service, desktop, engine: fakeEngine() };
}

/** Unwraps a reply the test expects to succeed. */
export function valueOf<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`expected success, got ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

/** The error code of a reply the test expects to fail. */
export function codeOf(reply: Reply): string | undefined {
  if (reply.ok) throw new Error(`expected failure, got ${JSON.stringify(reply.value)}`);
  return reply.error.code;
}
