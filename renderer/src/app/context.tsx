import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { App, AppStores } from './create-app.ts';

/** The window's app (stores, actions, bridge), provided once at the root. */
export const AppContext = createContext<App | null>(null);

export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp() outside <AppContext.Provider>');
  return app;
}

export function useActions(): App['actions'] {
  return useApp().actions;
}

type StateOf<Name extends keyof AppStores> = ReturnType<AppStores[Name]['getState']>;

/** Selects a slice of one store; the component re-renders only when that slice changes. */
export function useSlice<Name extends keyof AppStores, Slice>(name: Name, selector: (state: StateOf<Name>) => Slice): Slice {
  const store = useApp().stores[name] as unknown as Parameters<typeof useStore>[0];
  return useStore(store, selector as (state: unknown) => Slice);
}
