import { createStore } from 'zustand/vanilla';

/**
 * Short messages about what just happened: a failed action (with what to do)
 * or a finished download. Shown as a stack in a corner and read out by screen
 * readers; each goes away after a while or when dismissed.
 */
export interface Notice {
  id: number;
  tone: 'info' | 'success' | 'danger';
  text: string;
}

export interface NoticesState {
  notices: readonly Notice[];
  push(tone: Notice['tone'], text: string): number;
  dismiss(id: number): void;
}

const MAX_VISIBLE = 4;
export const NOTICE_LIFETIME_MS = 8000;

export function createNoticesStore(schedule: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms)) {
  let nextId = 1;
  return createStore<NoticesState>()((set, get) => ({
    notices: [],
    push(tone, text) {
      const id = nextId++;
      set({ notices: [...get().notices, { id, tone, text }].slice(-MAX_VISIBLE) });
      schedule(() => get().dismiss(id), NOTICE_LIFETIME_MS);
      return id;
    },
    dismiss: (id) => set({ notices: get().notices.filter((notice) => notice.id !== id) }),
  }));
}

export type NoticesStore = ReturnType<typeof createNoticesStore>;
