import { render } from '@testing-library/react';
import { createApp } from '../app/create-app.ts';
import { AppContext } from '../app/context.tsx';
import { App } from '../components/App.tsx';
import type { DownloadSnapshot } from '../../../shared/download/types.ts';
import { createFakeBridge, memoryStorage } from './fake-bridge.ts';

// happy-dom has no layout; the virtual list measures its viewport with client/offset sizes.
// Give every element a window-sized box so the rows in view get mounted.
for (const [property, value] of [['offsetHeight', 720], ['offsetWidth', 1000], ['clientHeight', 720], ['clientWidth', 1000]] as const) {
  Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => value });
}

/** Renders the whole window against a fake main, loaded and ready. */
export async function renderApp(downloads: DownloadSnapshot[] = [], options: { start?: boolean } = {}) {
  const fake = createFakeBridge(downloads);
  const storage = memoryStorage();
  const app = createApp({ bridge: fake.bridge, storage, resultWaitMs: 50, applyTheme: () => undefined });
  app.stores.connection.getState().setLink('open');
  if (options.start !== false) await app.start();
  const view = render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  return { fake, app, storage, ...view };
}
