import { createStore } from 'zustand/vanilla';
import type { Settings, Theme } from '../../../shared/download/types.ts';

/** The app's settings as main last reported them; null until loaded. */
export interface SettingsState {
  settings: Settings | null;
  setSettings(settings: Settings): void;
}

export function createSettingsStore() {
  return createStore<SettingsState>()((set) => ({
    settings: null,
    setSettings: (settings) => set({ settings }),
  }));
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

const THEME_KEY = 'skein.theme';

/**
 * Puts the theme on the document. "system" leaves the attribute off so the
 * tokens follow `prefers-color-scheme`. Remembered locally so the next start
 * paints in the right theme before settings arrive.
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage can be unavailable (private mode); the theme still applies.
  }
}

export function rememberedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}
