// Styles first: the tokens and shared control classes must precede component styles in the bundle.
import './styles/tokens.css';
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp } from './app/create-app.ts';
import { AppContext } from './app/context.tsx';
import { pickBridge } from './bridge/pick-bridge.ts';
import { App } from './components/App.tsx';
import { createConnectionStore } from './stores/connection.ts';
import { applyTheme, rememberedTheme } from './stores/settings.ts';

// Paint in the last theme before settings arrive, so a dark window does not flash white.
applyTheme(rememberedTheme());

// The link state exists before the app: the socket may report it before createApp runs.
const early = createConnectionStore();
let reconnect = () => undefined as unknown;
const picked = pickBridge({
  onLinkChange: (state) => early.getState().setLink(state),
  onReconnect: () => reconnect(),
});

const app = createApp({ bridge: picked.bridge, storage: window.sessionStorage });
app.stores.connection.getState().setLink(early.getState().link);
early.subscribe((state) => app.stores.connection.getState().setLink(state.link));
reconnect = () => app.reload();
void app.start();

window.addEventListener('pagehide', () => {
  app.dispose();
  picked.close();
});
// Restored from the back/forward cache with its connection closed: start afresh (uids are in sessionStorage).
window.addEventListener('pageshow', (event) => {
  if (event.persisted) window.location.reload();
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
