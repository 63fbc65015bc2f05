import { describe, expect, it } from 'vitest';
import type { DownloadSnapshot } from '../../shared/download/types.ts';
import { ReactorStoppedError } from '../../shared/reactor/errors.ts';
import { EventualResult } from '../../shared/reactor/eventual-result.ts';
import type { EngineCallers } from './engine-callers.ts';
import { headlessPlatform } from './platform.ts';
import { createAppService } from './service.ts';
import { codeOf, valueOf } from './testing/service-harness.ts';

/**
 * The reactor process dying under a waiting window: every pending result fails
 * with ReactorStoppedError. A held download result is re-attached (a new
 * awaitDownload, queued until the reactor is back) inside the same wait.
 */
function engineWhoseReactorDiesOnce() {
  const attempts: Array<ReturnType<typeof EventualResult.create<DownloadSnapshot>>> = [];
  const engine = {
    addDownloads: (requests: Array<{ url: string }>) =>
      EventualResult.resolved(requests.map((r, i) => ({ id: `d${i}`, url: r.url }) as DownloadSnapshot)),
    awaitDownload: () => {
      const settlers = EventualResult.create<DownloadSnapshot>();
      attempts.push(settlers);
      return settlers.result;
    },
  } as unknown as EngineCallers;
  return { engine, attempts };
}

describe('re-attaching after a reactor restart', () => {
  it('a wait survives the reactor dying and gets the download once it finishes', async () => {
    const { engine, attempts } = engineWhoseReactorDiesOnce();
    const service = createAppService({ host: 'electron', platform: headlessPlatform, engine });
    const { started } = valueOf<{ started: Array<{ id: string; uid: number }> }>(
      await service.handle('w', 'startDownloads', { requests: [{ url: 'https://x.test/a' }] }),
    );
    const { uid } = started[0]!;
    valueOf(await service.handle('w', 'resultRetrieve', { uid }));
    const waiting = service.handle('w', 'resultWait', { uid, timeoutMs: 5000 });
    attempts[0]!.reject(new ReactorStoppedError('The reactor process died (killed by SIGKILL)'));
    await expect.poll(() => attempts.length).toBe(2);
    attempts[1]!.resolve({ id: 'd0', state: 'completed' } as DownloadSnapshot);
    expect(valueOf<DownloadSnapshot>(await waiting).state).toBe('completed');
  });

  it('a stopping service does not re-attach: the window learns the reactor stopped', async () => {
    const { engine, attempts } = engineWhoseReactorDiesOnce();
    const service = createAppService({ host: 'electron', platform: headlessPlatform, engine });
    const { started } = valueOf<{ started: Array<{ uid: number }> }>(await service.handle('w', 'startDownloads', { requests: [{ url: 'https://x.test/a' }] }));
    const { uid } = started[0]!;
    await service.handle('w', 'resultRetrieve', { uid });
    const waiting = service.handle('w', 'resultWait', { uid, timeoutMs: 5000 });
    service.start();
    service.stop();
    attempts[0]!.reject(new ReactorStoppedError('The reactor was shut down'));
    expect(codeOf(await waiting)).toBe('ERR_REACTOR_STOPPED');
    expect(attempts.length).toBe(1);
  });
});
