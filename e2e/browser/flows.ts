import { expect, type Page } from './expect.ts';
import type { Harness } from './harness.ts';
import { patternBytes } from '../../main/testing/fault-server.ts';

/**
 * The flows a person goes through, in a real Chromium against the real stack.
 * Elements are found by role and accessible name, as a screen reader would.
 */

export interface Flow {
  name: string;
  run(harness: Harness, page: Page): Promise<void>;
}

const MiB = 1024 * 1024;

/** A file the fault server sends slowly enough to watch (per connection). */
function slowFile(harness: Harness, name: string, size: number, bytesPerSecond: number): string {
  harness.faults.route(`/e2e/${name}`, { body: patternBytes(size), throttle: bytesPerSecond, contentType: 'application/octet-stream' });
  return harness.faults.url(`/e2e/${name}`);
}

async function addThroughDialog(page: Page, urls: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog.getByRole('textbox', { name: 'Links' }).fill(urls.join('\n'));
  await dialog.getByRole('button', { name: urls.length === 1 ? 'Add download' : `Add ${urls.length} downloads` }).click();
  await expect(dialog).toBeHidden();
}

const row = (page: Page, fileName: string) => page.getByRole('row', { name: new RegExp(`^${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`) });

async function progressOf(page: Page, fileName: string): Promise<number> {
  const value = await row(page, fileName).getByRole('progressbar').getAttribute('aria-valuenow');
  return Number(value ?? 0);
}

export const flows: Flow[] = [
  {
    name: 'requests without the token are refused',
    async run(harness, page) {
      const base = harness.origin;
      for (const path of ['/', '/index.html', '/?token=wrong']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, `GET ${path}`).toBe(401);
      }
      const visit = await page.goto(`${base}/`);
      expect(visit?.status()).toBe(401);
      await expect(page.getByText('Skein needs the token')).toBeVisible();
      const { WebSocket } = await import('ws');
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: base } });
        ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.once('open', () => resolve(101));
      });
      expect(status).toBe(401);
    },
  },
  {
    name: 'add downloads; progress moves; they complete',
    async run(harness, page) {
      const first = slowFile(harness, 'alpha.bin', 3 * MiB, 160 * 1024);
      const second = slowFile(harness, 'beta.bin', 2 * MiB, 160 * 1024);
      await page.goto(harness.url);
      await addThroughDialog(page, [first, second]);
      await expect(row(page, 'alpha.bin')).toBeVisible();
      await expect(row(page, 'beta.bin')).toBeVisible();
      await expect.poll(() => progressOf(page, 'alpha.bin'), { timeout: 15_000 }).toBeGreaterThan(0);
      const early = await progressOf(page, 'alpha.bin');
      await expect.poll(() => progressOf(page, 'alpha.bin'), { timeout: 15_000 }).toBeGreaterThan(early);
      await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(/[1-9]\d* downloading/);
      await expect(row(page, 'alpha.bin')).toHaveAccessibleName(/Completed/, { timeout: 40_000 });
      await expect(row(page, 'beta.bin')).toHaveAccessibleName(/Completed/, { timeout: 40_000 });
      await expect(page.getByRole('tab', { name: /Completed\s*2/ })).toBeVisible();
    },
  },
  {
    name: 'pause and resume',
    async run(harness, page) {
      const url = slowFile(harness, 'pausable.bin', 3 * MiB, 128 * 1024);
      await page.goto(harness.url);
      await addThroughDialog(page, [url]);
      await expect.poll(() => progressOf(page, 'pausable.bin'), { timeout: 15_000 }).toBeGreaterThan(0);
      await row(page, 'pausable.bin').hover();
      await row(page, 'pausable.bin').getByRole('button', { name: 'Pause' }).click();
      await expect(row(page, 'pausable.bin')).toHaveAccessibleName(/Paused/);
      const paused = await progressOf(page, 'pausable.bin');
      await page.waitForTimeout(1500);
      expect(await progressOf(page, 'pausable.bin'), 'no progress while paused').toBe(paused);
      await row(page, 'pausable.bin').getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => progressOf(page, 'pausable.bin'), { timeout: 15_000 }).toBeGreaterThan(paused);
      await expect(row(page, 'pausable.bin')).toHaveAccessibleName(/Completed/, { timeout: 40_000 });
    },
  },
  {
    name: 'cancel through the result handle',
    async run(harness, page) {
      const url = slowFile(harness, 'unwanted.bin', 8 * MiB, 64 * 1024);
      await page.goto(harness.url);
      await addThroughDialog(page, [url]);
      await expect.poll(() => progressOf(page, 'unwanted.bin'), { timeout: 15_000 }).toBeGreaterThan(0);
      await row(page, 'unwanted.bin').hover();
      await row(page, 'unwanted.bin').getByRole('button', { name: 'Cancel' }).click();
      await expect(row(page, 'unwanted.bin')).toHaveAccessibleName(/Cancelled/, { timeout: 15_000 });
      await expect(row(page, 'unwanted.bin').getByRole('button', { name: 'Retry' })).toBeAttached();
      await expect(page.getByRole('tab', { name: /Failed\s*[1-9]/ })).toBeVisible();
    },
  },
  {
    name: 'a 404 shows its error with a next step',
    async run(harness, page) {
      await page.goto(harness.url);
      await addThroughDialog(page, [harness.faults.url('/e2e/nowhere/missing.iso')]);
      const failed = row(page, 'missing.iso');
      await expect(failed).toHaveAccessibleName(/Failed: .*404/i, { timeout: 20_000 });
      await expect(failed).toContainText(/check the link/i);
      await failed.click();
      const details = page.getByRole('complementary', { name: 'Details of missing.iso' });
      await expect(details.getByRole('note', { name: 'What went wrong' })).toContainText('404');
    },
  },
  {
    name: 'reload mid-download: rows re-attach by their uids and finish',
    async run(harness, page) {
      const url = slowFile(harness, 'survivor.bin', 3 * MiB, 128 * 1024);
      await page.goto(harness.url);
      await addThroughDialog(page, [url]);
      await expect.poll(() => progressOf(page, 'survivor.bin'), { timeout: 15_000 }).toBeGreaterThan(0);
      const before = await page.evaluate(() => JSON.parse(sessionStorage.getItem('skein.results') ?? '{}') as Record<string, number>);
      expect(Object.keys(before).length, 'a stash uid is kept in sessionStorage').toBeGreaterThan(0);
      const progressBefore = await progressOf(page, 'survivor.bin');
      await page.reload();
      await expect(row(page, 'survivor.bin')).toBeVisible();
      expect(await progressOf(page, 'survivor.bin'), 'nothing lost on reload').toBeGreaterThanOrEqual(progressBefore);
      await row(page, 'survivor.bin').click();
      const details = page.getByRole('complementary', { name: 'Details of survivor.bin' });
      await expect(details).toContainText(/Result.*(Held by this window|Stashed|Attaching).*uid \d+/s);
      // The notice comes from the retrieved result itself, not from an event.
      await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Downloaded “survivor.bin”.', { timeout: 40_000 });
      await expect(row(page, 'survivor.bin')).toHaveAccessibleName(/Completed/);
      const after = await page.evaluate(() => JSON.parse(sessionStorage.getItem('skein.results') ?? '{}') as Record<string, number>);
      expect(Object.keys(after).filter((id) => id in before), 'a finished result is forgotten').toEqual([]);
    },
  },
  {
    name: 'keyboard only: add, move, pause, menu, remove prompt, search',
    async run(harness, page) {
      const url = slowFile(harness, 'keyboard.bin', 4 * MiB, 64 * 1024);
      await page.goto(harness.url);
      await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeVisible();
      await page.keyboard.press('Control+n');
      const dialog = page.getByRole('dialog', { name: 'Add downloads' });
      await expect(dialog).toBeVisible();
      await page.keyboard.type(url);
      await page.keyboard.press('Control+Enter');
      await expect(dialog).toBeHidden();
      const added = row(page, 'keyboard.bin');
      await expect(added).toBeVisible();

      // Tab from the toolbar reaches the list's one tab stop: the newest row.
      await page.getByRole('button', { name: 'Resume all' }).focus();
      await page.keyboard.press('Tab');
      expect(await added.evaluate((element) => element === element.ownerDocument.activeElement), 'the new row has focus').toBe(true);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      expect(await added.evaluate((element) => element === element.ownerDocument.activeElement), 'arrows come back to it').toBe(true);
      await expect(added).toHaveAccessibleName(/keyboard\.bin, (Queued|Connecting|Downloading)/, { timeout: 15_000 });
      await page.keyboard.press(' ');
      await expect(added).toHaveAccessibleName(/Paused/);
      await page.keyboard.press(' ');
      await expect(added).toHaveAccessibleName(/^keyboard\.bin, (Queued|Connecting|Downloading)/);

      await page.keyboard.press('Shift+F10');
      const menu = page.getByRole('menu', { name: 'Actions for keyboard.bin' });
      await expect(menu).toBeVisible();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Escape');
      await expect(menu).toBeHidden();

      await page.keyboard.press('Delete');
      const remove = page.getByRole('dialog', { name: 'Remove “keyboard.bin”?' });
      await expect(remove).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(remove).toBeHidden();
      await expect(added).toBeVisible();

      await page.keyboard.press('Control+f');
      const focusedLabel = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'));
      expect(focusedLabel, 'Ctrl+F focuses search').toBe('Search downloads');
      await page.keyboard.type('keyboard');
      await expect(page.getByRole('row')).toHaveCount(1);
      await harness.call('cancelDownload', { id: (await added.getAttribute('data-id')) ?? '', deleteFile: true });
    },
  },
];
