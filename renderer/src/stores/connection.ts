import { createStore } from 'zustand/vanilla';
import type { AppInfo, ReactorState } from '../../../shared/contract/requests.ts';

/**
 * The link to the app: whether the bridge is connected (a WebSocket can drop;
 * the preload cannot) and the reactor's state (it restarts after a crash).
 * The window shows a banner whenever either is not healthy.
 */
/** `lost`: several reconnects in a row failed (the host stopped, or restarted with a new token). */
export type LinkState = 'connecting' | 'open' | 'closed' | 'lost';

export interface ConnectionState {
  link: LinkState;
  reactor: ReactorState;
  reactorMessage: string | null;
  appInfo: AppInfo | null;
  setLink(link: LinkState): void;
  setReactor(state: ReactorState, message: string | null): void;
  setAppInfo(info: AppInfo): void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    link: 'connecting',
    reactor: 'starting',
    reactorMessage: null,
    appInfo: null,
    setLink: (link) => set({ link }),
    setReactor: (reactor, reactorMessage) => set({ reactor, reactorMessage }),
    setAppInfo: (appInfo) => set({ appInfo, reactor: appInfo.reactorState }),
  }));
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export type Health =
  | { kind: 'ok' }
  | { kind: 'connecting' }
  | { kind: 'disconnected' }
  | { kind: 'lost' }
  | { kind: 'starting' }
  | { kind: 'restarting'; message: string | null }
  | { kind: 'stopped'; message: string | null };

/** One word for the window's banner, the worst problem first. */
export function healthOf(state: Pick<ConnectionState, 'link' | 'reactor' | 'reactorMessage'>): Health {
  if (state.link === 'lost') return { kind: 'lost' };
  if (state.link === 'closed') return { kind: 'disconnected' };
  if (state.link === 'connecting') return { kind: 'connecting' };
  if (state.reactor === 'starting') return { kind: 'starting' };
  if (state.reactor === 'restarting') return { kind: 'restarting', message: state.reactorMessage };
  if (state.reactor === 'stopped' || state.reactor === 'failed') return { kind: 'stopped', message: state.reactorMessage };
  return { kind: 'ok' };
}
