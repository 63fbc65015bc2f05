import { createStore } from 'zustand/vanilla';

/** Which modal is open. One at a time: a second request replaces the first's content. */
export type OpenDialog =
  | { kind: 'none' }
  | { kind: 'add'; urls: string[] }
  | { kind: 'settings' }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'refresh-url'; id: string };

export interface DialogsState {
  open: OpenDialog;
  openAdd(urls?: string[]): void;
  openSettings(): void;
  confirmRemove(ids: string[]): void;
  askRefreshUrl(id: string): void;
  close(): void;
}

export function createDialogsStore() {
  return createStore<DialogsState>()((set, get) => ({
    open: { kind: 'none' },
    openAdd(urls = []) {
      const current = get().open;
      // Links dropped while the dialog is open join the ones already there.
      const merged = current.kind === 'add' ? [...new Set([...current.urls, ...urls])] : urls;
      set({ open: { kind: 'add', urls: merged } });
    },
    openSettings: () => set({ open: { kind: 'settings' } }),
    confirmRemove: (ids) => set({ open: ids.length > 0 ? { kind: 'remove', ids } : { kind: 'none' } }),
    askRefreshUrl: (id) => set({ open: { kind: 'refresh-url', id } }),
    close: () => set({ open: { kind: 'none' } }),
  }));
}

export type DialogsStore = ReturnType<typeof createDialogsStore>;
