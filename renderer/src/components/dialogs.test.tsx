import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../testing/render-app.tsx';

const apps: Array<{ dispose(): void }> = [];
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  apps.splice(0).forEach((app) => app.dispose());
  document.documentElement.removeAttribute('data-theme');
});

async function setup() {
  const result = await renderApp([]);
  apps.push(result.app);
  return result;
}

describe('Add dialog', () => {
  it('puts the cursor in the links box when it opens', async () => {
    await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Links' }));
  });

  it('is pre-filled from the clipboard on Ctrl+N when it holds links', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { readText: () => Promise.resolve('https://example.org/from-clipboard.iso') } });
    await setup();
    fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    await waitFor(() => expect((within(dialog).getByRole('textbox', { name: 'Links' }) as HTMLTextAreaElement).value).toBe('https://example.org/from-clipboard.iso'));
  });

  it('opens with the links dropped anywhere on the window', async () => {
    await setup();
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as Event & { dataTransfer: unknown };
    drop.dataTransfer = { types: ['text/uri-list'], getData: (type: string) => (type === 'text/uri-list' ? 'https://example.org/dropped.zip' : '') };
    act(() => {
      window.dispatchEvent(drop);
    });
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect((within(dialog).getByRole('textbox', { name: 'Links' }) as HTMLTextAreaElement).value).toBe('https://example.org/dropped.zip');
  });

  it('sends the advanced options with every link, and explains a bad checksum', async () => {
    const { fake } = await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Links' }), { target: { value: 'https://example.org/a.iso' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Advanced options' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Save to folder' }), { target: { value: '/data/isos' } });
    fireEvent.change(within(dialog).getByRole('spinbutton', { name: 'Connections' }), { target: { value: '16' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Speed limit' }), { target: { value: '2 MB' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Request headers' }), { target: { value: 'Authorization: Bearer abc' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Checksum' }), { target: { value: 'abc' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add download' }));
    expect(await within(dialog).findByText('A SHA256 checksum is 64 hexadecimal characters.')).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Checksum' }), { target: { value: 'A'.repeat(64) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add download' }));
    await waitFor(() => expect(fake.calls.some((call) => call.name === 'startDownloads')).toBe(true));
    expect(fake.calls.find((call) => call.name === 'startDownloads')?.input).toEqual({
      requests: [
        {
          url: 'https://example.org/a.iso',
          directory: '/data/isos',
          connections: 16,
          speedLimit: 2 * 1024 * 1024,
          headers: { Authorization: 'Bearer abc' },
          checksum: { algorithm: 'sha256', hex: 'a'.repeat(64) },
        },
      ],
    });
  });

  it('keeps the dialog open with the reason when main refuses', async () => {
    const { fake } = await setup();
    fake.failNext('startDownloads', { name: 'InvalidRequestError', code: 'ERR_BRIDGE_INVALID_REQUEST', message: 'Invalid "startDownloads" request: requests.0.url: The URL is too long' });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Links' }), { target: { value: 'https://example.org/a.iso' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add download' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Could not add the download: Invalid "startDownloads" request: requests.0.url: The URL is too long.',
    );
  });
});

describe('Settings', () => {
  it('saves what was changed and applies the theme', async () => {
    const { fake, app } = await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.change(within(dialog).getByRole('spinbutton', { name: 'Connections per download' }), { target: { value: '12' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Speed limit for all downloads' }), { target: { value: '1 MB' } });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.calls.find((call) => call.name === 'updateSettings')?.input).toMatchObject({
      patch: { connectionsPerDownload: 12, globalSpeedLimit: 1024 * 1024, theme: 'dark' },
    });
    expect(app.stores.settings.getState().settings?.theme).toBe('dark');
    expect(screen.getByRole('contentinfo', { name: 'Status' }).textContent).toContain('Limit: 1.0 MB/s');
  });

  it('says which field is wrong instead of saving', async () => {
    const { fake } = await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.change(within(dialog).getByRole('spinbutton', { name: 'Downloads at the same time' }), { target: { value: '0' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Use a whole number from 1 to 32.')).toBeTruthy();
    expect(fake.calls.some((call) => call.name === 'updateSettings')).toBe(false);
  });

  it('puts the saved theme back when dismissed', async () => {
    await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Light' }));
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(document.documentElement.getAttribute('data-theme')).toBeNull();
  });
});
