// The real window (App, stores, virtual list, styles) in Chromium, fed by the
// test bridge so only rendering is measured. bench/render.bench.ts drives it.
import '../../renderer/src/styles/tokens.css';
import '../../renderer/src/styles/base.css';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { DownloadSnapshot, ProgressUpdate, SegmentSnapshot } from '../../shared/download/types.ts';
import { AppContext } from '../../renderer/src/app/context.tsx';
import { createApp, type App as SkeinApp } from '../../renderer/src/app/create-app.ts';
import { App } from '../../renderer/src/components/App.tsx';
import { createFakeBridge, memoryStorage, snapshot } from '../../renderer/src/testing/fake-bridge.ts';

const MiB = 1024 * 1024;
let root: Root | null = null;
let app: SkeinApp | null = null;

const segments = (downloaded: number, total: number): SegmentSnapshot[] =>
  Array.from({ length: 4 }, (_, index) => ({ start: (index * total) / 4, end: ((index + 1) * total) / 4, downloaded: downloaded / 4, state: 'active' }));

function downloads(count: number, active: number): DownloadSnapshot[] {
  return Array.from({ length: count }, (_, index) =>
    snapshot({
      id: `bench-${index}`,
      fileName: `file-${String(index).padStart(5, '0')}.iso`,
      state: index < active ? 'downloading' : index % 7 === 0 ? 'failed' : 'completed',
      totalBytes: 700 * MiB,
      downloadedBytes: index < active ? 10 * MiB : 700 * MiB,
      speed: index < active ? 2 * MiB : 0,
      createdAt: 1_700_000_000_000 - index,
      segments: index < active ? segments(10 * MiB, 700 * MiB) : [],
    }),
  );
}

/** Forces style and layout, so a figure includes what the browser does before it can paint. */
const layout = () => document.getElementById('root')!.getBoundingClientRect().height;

function reset(): void {
  root?.unmount();
  app?.dispose();
  const fake = createFakeBridge([]);
  app = createApp({ bridge: fake.bridge, storage: memoryStorage(), applyTheme: () => undefined });
  app.stores.connection.getState().setLink('open');
  app.stores.connection.getState().setReactor('running', null);
  root = createRoot(document.getElementById('root')!);
  const current = app;
  flushSync(() =>
    root!.render(
      <AppContext.Provider value={current}>
        <App />
      </AppContext.Provider>,
    ),
  );
  layout();
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

declare global {
  interface Window {
    skeinBench: {
      mount(count: number): number;
      progress(count: number, active: number, batches: number): { p50: number; p95: number; max: number };
    };
  }
}

window.skeinBench = {
  /** ms from the list arriving to the rows committed and laid out. */
  mount(count) {
    reset();
    const list = downloads(count, Math.min(count, 1000));
    const started = performance.now();
    flushSync(() => app!.stores.downloads.getState().load(list));
    layout();
    const elapsed = performance.now() - started;
    // A figure only counts if the list really is there.
    const grid = document.querySelector('[role="grid"]');
    if (grid?.getAttribute('aria-rowcount') !== String(count) || document.querySelectorAll('[role="row"]').length === 0) {
      throw new Error('the list did not render');
    }
    return elapsed;
  },
  /** ms per progress batch touching every active row, committed and laid out. */
  progress(count, active, batches) {
    reset();
    flushSync(() => app!.stores.downloads.getState().load(downloads(count, active)));
    layout();
    const times: number[] = [];
    for (let batch = 1; batch <= batches; batch += 1) {
      const updates: ProgressUpdate[] = [];
      for (let index = 0; index < active; index += 1) {
        const done = Math.min(700 * MiB, 10 * MiB + batch * 256 * 1024 + index);
        updates.push({ id: `bench-${index}`, state: 'downloading', downloadedBytes: done, totalBytes: 700 * MiB, speed: 2 * MiB + batch, etaSeconds: 300 - batch, segments: segments(done, 700 * MiB) });
      }
      const started = performance.now();
      flushSync(() => app!.stores.downloads.getState().applyProgress(updates));
      layout();
      times.push(performance.now() - started);
    }
    // The first row's bar must show the last batch, or nothing was measured.
    const shown = document.querySelector('[data-id="bench-0"] [role="progressbar"]')?.getAttribute('aria-valuenow');
    const expected = String(Math.round(((10 * MiB + batches * 256 * 1024) / (700 * MiB)) * 100));
    if (shown !== expected) throw new Error(`the first row shows ${shown}%, expected ${expected}%`);
    return { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
  },
};
