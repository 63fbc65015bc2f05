import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where and how big the window was, remembered across launches. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1100, height: 720, maximized: false };
export const MIN_WINDOW_SIZE = { width: 640, height: 420 };
/** How much of the title bar must be on a screen for the saved position to count. */
const VISIBLE_MARGIN = 48;

/**
 * Turns whatever was saved into a usable state: sizes clamped, and the position
 * dropped (the window is centred) when no display shows enough of it any more
 * (a monitor was unplugged).
 */
export function restoreWindowState(saved: unknown, displays: readonly Area[]): WindowState {
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_WINDOW_STATE };
  const record = saved as Record<string, unknown>;
  const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null);
  const largest = displays.reduce((max, d) => ({ width: Math.max(max.width, d.width), height: Math.max(max.height, d.height) }), { width: 0, height: 0 });
  const clamp = (value: number | null, min: number, max: number, fallback: number): number =>
    value === null ? fallback : Math.max(min, max > 0 ? Math.min(max, value) : value);
  const state: WindowState = {
    width: clamp(number(record.width), MIN_WINDOW_SIZE.width, largest.width, DEFAULT_WINDOW_STATE.width),
    height: clamp(number(record.height), MIN_WINDOW_SIZE.height, largest.height, DEFAULT_WINDOW_STATE.height),
    maximized: record.maximized === true,
  };
  const x = number(record.x);
  const y = number(record.y);
  if (x !== null && y !== null && displays.some((display) => titleBarVisible({ x, y, width: state.width }, display))) {
    state.x = x;
    state.y = y;
  }
  return state;
}

function titleBarVisible(window: { x: number; y: number; width: number }, display: Area): boolean {
  const overlap = Math.min(window.x + window.width, display.x + display.width) - Math.max(window.x, display.x);
  return overlap >= VISIBLE_MARGIN && window.y >= display.y && window.y <= display.y + display.height - VISIBLE_MARGIN;
}

/** Reads and writes the state file; writes go to a temporary file renamed over the old one. */
export class WindowStateFile {
  readonly #path: string;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: WindowState | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  async load(): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.#path, 'utf8'));
    } catch {
      return null;
    }
  }

  /** Saves after the window stops moving for `delayMs` (moves and resizes come in bursts). */
  saveSoon(state: WindowState, delayMs = 500): void {
    this.#pending = state;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), delayMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    const state = this.#pending;
    this.#pending = null;
    if (!state) return;
    await mkdir(dirname(this.#path), { recursive: true });
    const temporary = `${this.#path}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, this.#path);
  }
}
