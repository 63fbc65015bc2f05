import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patternBytes } from '../../main/testing/fault-server.ts';
import { expect, type Page } from './expect.ts';
import { root, type Harness } from './harness.ts';
import type { Flow } from './flows.ts';

/** The main views in both themes, saved for people to look at (e2e-artifacts/). */

export const ARTIFACTS = join(root, 'e2e-artifacts');
const THEMES = ['light', 'dark'] as const;

const probe = readFile(join(import.meta.dirname, 'contrast-probe.js'), 'utf8');

/** Saves the view and checks every visible text in it meets WCAG AA contrast. */
async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  // Let progress bars finish easing so the picture is not mid-transition.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const { checked, failures } = (await page.evaluate(await probe)) as { checked: number; failures: string[] };
  expect(checked, `${name}: texts checked for contrast`).toBeGreaterThan(3);
  expect(failures, `${name}: texts below WCAG AA contrast`).toEqual([]);
}

export const emptyWindowShots: Flow = {
  name: 'screenshots: the empty window in both themes',
  async run(harness, page) {
    await page.goto(harness.url);
    await expect(page.getByText('Paste a link or drop it here')).toBeVisible();
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await shoot(page, `${theme}-empty`);
    }
  },
};

export const mainViewShots: Flow = {
  name: 'screenshots: list, details, Add and Settings in both themes',
  async run(harness: Harness, page: Page) {
    const slow = (name: string, size: number, rate: number) => {
      harness.faults.route(`/shots/${name}`, { body: patternBytes(size), throttle: rate });
      return harness.faults.url(`/shots/${name}`);
    };
    const urls = [slow('debian-13.0.0-amd64-netinst.iso', 48 << 20, 96 * 1024), slow('holiday-photos.zip', 32 << 20, 48 * 1024), slow('podcast-episode-112.mp3', 24 << 20, 32 * 1024)];
    await page.goto(harness.url);
    await harness.call('startDownloads', { requests: urls.map((url) => ({ url })) });
    const photos = page.getByRole('row', { name: /^holiday-photos\.zip,/ });
    await expect(photos).toBeVisible();
    await expect.poll(async () => Number((await photos.getByRole('progressbar').getAttribute('aria-valuenow')) ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await photos.hover();
    await photos.getByRole('button', { name: 'Pause' }).click();
    await expect(photos).toHaveAccessibleName(/Paused/);
    // A few seconds of samples for the speed graph and the sparkline.
    await page.waitForTimeout(6000);
    await page.mouse.move(5, 5);

    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await shoot(page, `${theme}-list`);

      await page.getByRole('row', { name: /^debian-13\.0\.0-amd64-netinst\.iso,/ }).click();
      await expect(page.getByRole('complementary', { name: /Details of debian/ })).toBeVisible();
      await shoot(page, `${theme}-details`);
      await page.getByRole('button', { name: 'Close details' }).click();

      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const add = page.getByRole('dialog', { name: 'Add downloads' });
      await add.getByRole('textbox', { name: 'Links' }).fill('https://cdn.example.org/releases/app-2.4.1.AppImage\nhttps://cdn.example.org/releases/app-2.4.1.sha256');
      await add.getByRole('button', { name: 'Advanced options' }).click();
      await shoot(page, `${theme}-add-dialog`);
      await add.getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
      await shoot(page, `${theme}-settings`);
      await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('tab', { name: /Failed/ }).click();
      await shoot(page, `${theme}-failed-tab`);
      await page.getByRole('tab', { name: /All/ }).click();
    }
    await harness.call('pauseAll', {});
  },
};

export const disconnectedShots: Flow = {
  name: 'the window says so when Skein stops (screenshots in both themes)',
  async run(harness: Harness, page: Page) {
    await page.goto(harness.url);
    await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeVisible();
    await harness.stopHost();
    const banner = page.getByRole('status').filter({ hasText: 'Lost the connection to Skein.' });
    await expect(banner).toBeVisible();
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await shoot(page, `${theme}-disconnected`);
    }
    // Reconnecting keeps failing: the window stops promising and says what to do.
    await expect(page.getByRole('status').filter({ hasText: 'Skein is not answering.' })).toBeVisible({ timeout: 20_000 });
  },
};
