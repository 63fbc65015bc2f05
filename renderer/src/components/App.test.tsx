import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../testing/render-app.tsx';
import { snapshot } from '../testing/fake-bridge.ts';

const apps: Array<{ dispose(): void }> = [];
afterEach(() => {
  cleanup();
  apps.splice(0).forEach((app) => app.dispose());
});

async function setup(...args: Parameters<typeof renderApp>) {
  const result = await renderApp(...args);
  apps.push(result.app);
  return result;
}

describe('the window', () => {
  it('invites the first download when the list is empty', async () => {
    await setup([]);
    expect(screen.getByText('Paste a link or drop it here')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add download' }));
    expect(await screen.findByRole('dialog', { name: 'Add downloads' })).toBeTruthy();
  });

  it('lists downloads with their size, speed and time left, and counts them per tab', async () => {
    await setup([
      snapshot({ fileName: 'ubuntu.iso', state: 'downloading', downloadedBytes: 2 * 1024 ** 3, totalBytes: 6 * 1024 ** 3, speed: 38 * 1024 ** 2, etaSeconds: 100 }),
      snapshot({ fileName: 'report.pdf', state: 'completed', downloadedBytes: 1024 ** 2, totalBytes: 1024 ** 2, speed: 0 }),
    ]);
    const row = screen.getByRole('row', { name: /ubuntu\.iso/ });
    expect(within(row).getByText('2.0 / 6.0 GB')).toBeTruthy();
    expect(within(row).getByText('38.0 MB/s')).toBeTruthy();
    expect(within(row).getByText('1 min 40 s left')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /All\s*2/ })).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Completed\s*1/ })).toBeTruthy();
    expect(screen.getByRole('contentinfo', { name: 'Status' }).textContent).toContain('1 downloading');
    expect(document.title).toBe('33% · 1 downloading — Skein');
  });

  it('filters by tab and by search', async () => {
    await setup([snapshot({ fileName: 'ubuntu.iso', state: 'downloading' }), snapshot({ fileName: 'report.pdf', state: 'completed', speed: 0 })]);
    fireEvent.click(screen.getByRole('tab', { name: /Completed/ }));
    expect(screen.queryByRole('row', { name: /ubuntu/ })).toBeNull();
    expect(screen.getByRole('row', { name: /report\.pdf/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: /All/ }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search downloads' }), { target: { value: 'zzz' } });
    expect(screen.getByText(/No downloads match/)).toBeTruthy();
    fireEvent.click(within(screen.getByRole('tabpanel')).getByRole('button', { name: 'Clear search' }));
    expect(screen.getAllByRole('row')).toHaveLength(2);
  });

  it('moves progress when a progress batch arrives', async () => {
    const download = snapshot({ fileName: 'big.bin', downloadedBytes: 0, totalBytes: 100 });
    const { fake } = await setup([download]);
    act(() => {
      fake.emit({ type: 'progress', updates: [{ id: download.id, state: 'downloading', downloadedBytes: 50, totalBytes: 100, speed: 10, etaSeconds: 5, segments: [] }] });
    });
    const bar = within(screen.getByRole('row', { name: /big\.bin/ })).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
  });

  it('pauses and resumes from the row buttons', async () => {
    const download = snapshot({ fileName: 'movie.mkv', state: 'downloading' });
    const { fake } = await setup([download]);
    fireEvent.click(within(screen.getByRole('row', { name: /movie\.mkv/ })).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(screen.getByRole('row', { name: /movie\.mkv, Paused/ })).toBeTruthy());
    fireEvent.click(within(screen.getByRole('row', { name: /movie\.mkv/ })).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(fake.calls.map((call) => call.name)).toContain('resumeDownload'));
  });

  it('shows a failed download’s error as a sentence with a next step, and offers Retry', async () => {
    await setup([
      snapshot({ fileName: 'gone.zip', state: 'failed', speed: 0, error: { code: 'ERR_HTTP_STATUS', message: 'The server answered 404: the file is not on the server (any more); check the link.', status: 404 } }),
      snapshot({ fileName: 'odd.bin', state: 'failed', speed: 0, error: { code: 'ERR_FROM_THE_FUTURE', message: 'Something odd happened', status: 502 } }),
    ]);
    const row = screen.getByRole('row', { name: /gone\.zip, Failed: The server answered 404: .*check the link\./ });
    expect(within(row).getByText(/check the link/)).toBeTruthy();
    // A code the window has no sentence for still gets a next step.
    expect(within(screen.getByRole('row', { name: /odd\.bin/ })).getByText('Something odd happened. The server is having trouble; Retry later.')).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('adds many links at once from the Add dialog and follows each result', async () => {
    const { fake, storage } = await setup([]);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Links' }), {
      target: { value: 'https://example.org/a.iso\nhttps://example.org/b.zip\n' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add 2 downloads' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    const start = fake.calls.find((call) => call.name === 'startDownloads');
    expect(start?.input).toEqual({ requests: [{ url: 'https://example.org/a.iso' }, { url: 'https://example.org/b.zip' }] });
    expect(Object.keys(JSON.parse(storage.data.get('skein.results') ?? '{}'))).toHaveLength(2);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('refuses a line that is not a link, saying which', async () => {
    const { fake } = await setup([]);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Links' }), { target: { value: 'https://example.org/a.iso\nftp://old.example/x' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add 2 downloads' }));
    expect(await within(dialog).findByText('Line 2 is not an http:// or https:// link.')).toBeTruthy();
    expect(fake.calls.some((call) => call.name === 'startDownloads')).toBe(false);
  });

  it('opens Add with the links pasted outside a text field', async () => {
    await setup([]);
    const paste = new Event('paste', { bubbles: true }) as Event & { clipboardData: unknown };
    paste.clipboardData = { getData: () => 'see https://example.org/x.iso and https://example.org/y.iso' };
    act(() => {
      window.dispatchEvent(paste);
    });
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect((within(dialog).getByRole('textbox', { name: 'Links' }) as HTMLTextAreaElement).value).toBe('https://example.org/x.iso\nhttps://example.org/y.iso');
  });

  it('asks before removing, keeping the file unless told otherwise', async () => {
    const download = snapshot({ fileName: 'old.iso', state: 'completed', speed: 0 });
    const { fake } = await setup([download]);
    const row = screen.getByRole('row', { name: /old\.iso/ });
    fireEvent.click(row);
    fireEvent.keyDown(row, { key: 'Delete' });
    const dialog = await screen.findByRole('dialog', { name: 'Remove “old.iso”?' });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Also delete the file from disk' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove and delete' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: /old\.iso/ })).toBeNull());
    expect(fake.calls.find((call) => call.name === 'removeDownload')?.input).toEqual({ id: download.id, deleteFile: true });
  });

  it('pauses the selection with Space and moves with the arrow keys', async () => {
    const first = snapshot({ fileName: 'first.bin', state: 'downloading', createdAt: 2 });
    const second = snapshot({ fileName: 'second.bin', state: 'downloading', createdAt: 1 });
    const { fake } = await setup([first, second]);
    const row = screen.getByRole('row', { name: /first\.bin/ });
    fireEvent.click(row);
    fireEvent.keyDown(row, { key: 'ArrowDown' });
    expect(screen.getByRole('row', { name: /second\.bin/ }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('row', { name: /second\.bin/ }), { key: ' ' });
    await waitFor(() => expect(fake.calls.find((call) => call.name === 'pauseDownload')?.input).toEqual({ id: second.id }));
  });

  it('opens the details panel with the segments map and the stash uid', async () => {
    const download = snapshot({
      fileName: 'seg.bin',
      totalBytes: 1000,
      segments: [
        { start: 0, end: 500, downloaded: 500, state: 'done' },
        { start: 500, end: 1000, downloaded: 100, state: 'active' },
      ],
    });
    await setup([download]);
    fireEvent.click(screen.getByRole('row', { name: /seg\.bin/ }));
    const panel = screen.getByRole('complementary', { name: 'Details of seg.bin' });
    expect(within(panel).getByRole('img', { name: '2 segments: 1 done, 1 downloading' })).toBeTruthy();
    expect(within(panel).getByText(download.url)).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('complementary', { name: /Details/ })).toBeNull();
  });

  it('says so when the connection drops, and when the engine restarts', async () => {
    const { app, fake } = await setup([]);
    act(() => app.stores.connection.getState().setLink('closed'));
    expect(screen.getByRole('status').textContent).toContain('Lost the connection to Skein.');
    act(() => app.stores.connection.getState().setLink('open'));
    act(() => fake.emit({ type: 'reactor', state: 'restarting', message: 'The engine crashed (exit code 1).' }));
    expect(screen.getByRole('status').textContent).toContain('The download engine is restarting.');
  });

  it('shows a loading state before the list arrives', async () => {
    await setup([], { start: false });
    expect(screen.getByRole('status', { name: 'Loading downloads' })).toBeTruthy();
  });

  it('offers the file path instead of Open when served to a browser, where files cannot be opened', async () => {
    const { app } = await setup([snapshot({ fileName: 'done.iso', state: 'completed', speed: 0 })]);
    const row = screen.getByRole('row', { name: /done\.iso/ });
    expect(app.stores.connection.getState().appInfo?.host).toBe('browser');
    expect(within(row).queryByRole('button', { name: 'Open' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Copy file path' })).toBeTruthy();
    act(() => app.stores.connection.getState().setAppInfo({ ...app.stores.connection.getState().appInfo!, host: 'electron' }));
    expect(within(screen.getByRole('row', { name: /done\.iso/ })).getByRole('button', { name: 'Open' })).toBeTruthy();
  });

  it('changes one download’s speed limit from its details', async () => {
    const download = snapshot({ fileName: 'limited.bin' });
    const { fake } = await setup([download]);
    fireEvent.click(screen.getByRole('row', { name: /limited\.bin/ }));
    const panel = screen.getByRole('complementary', { name: 'Details of limited.bin' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Change speed limit' }));
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Speed limit for this download' }), { target: { value: 'fast please' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Set' }));
    expect(within(panel).getByText('Write a speed like 500 KB or 2 MB; empty for none.')).toBeTruthy();
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Speed limit for this download' }), { target: { value: '500 KB' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(within(panel).getByText('500 KB/s')).toBeTruthy());
    expect(fake.calls.find((call) => call.name === 'setDownloadSpeedLimit')?.input).toEqual({ id: download.id, bytesPerSecond: 500 * 1024 });
  });
});
