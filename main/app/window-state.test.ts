import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, restoreWindowState, WindowStateFile } from './window-state.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('remembered window state', () => {
  it('restores position, size and maximised state when a display still shows it', () => {
    expect(restoreWindowState({ x: 1600, y: 100, width: 1200, height: 800, maximized: true }, [laptop, external])).toEqual({
      x: 1600, y: 100, width: 1200, height: 800, maximized: true,
    });
  });

  it('centres the window when its display is gone', () => {
    const state = restoreWindowState({ x: 1600, y: 100, width: 1200, height: 800, maximized: false }, [laptop]);
    expect(state.x).toBeUndefined();
    expect(state.y).toBeUndefined();
  });

  it('clamps sizes and ignores garbage', () => {
    expect(restoreWindowState({ width: 10, height: 99_999 }, [laptop])).toMatchObject({ width: 640, height: 900 });
    expect(restoreWindowState('garbage', [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState({ width: NaN, x: 'a' }, [laptop])).toMatchObject({ width: DEFAULT_WINDOW_STATE.width });
  });

  it('survives a round trip through the state file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'skein-window-'));
    const file = new WindowStateFile(join(folder, 'window.json'));
    expect(await file.load()).toBeNull();
    file.saveSoon({ x: 5, y: 6, width: 900, height: 600, maximized: false }, 10_000);
    await file.flush();
    expect(await new WindowStateFile(join(folder, 'window.json')).load()).toEqual({ x: 5, y: 6, width: 900, height: 600, maximized: false });
    await rm(folder, { recursive: true, force: true });
  });
});
