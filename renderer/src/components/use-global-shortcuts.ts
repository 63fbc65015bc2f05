import { useEffect } from 'react';
import { useApp } from '../app/context.tsx';
import { extractUrls } from '../format/links.ts';
import { SEARCH_EVENT } from '../app/events.ts';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Reads links from the clipboard when the page may; silently nothing when it may not. */
export async function clipboardUrls(): Promise<string[]> {
  try {
    return extractUrls(await navigator.clipboard.readText());
  } catch {
    return [];
  }
}

/**
 * Window-wide shortcuts: Ctrl/Cmd+N add (pre-filled from the clipboard),
 * Ctrl/Cmd+V with links outside a text field opens Add with them,
 * Ctrl/Cmd+F search, Ctrl/Cmd+, settings. Row shortcuts live on the list.
 */
export function useGlobalShortcuts(): void {
  const { stores } = useApp();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const modifier = event.ctrlKey || event.metaKey;
      if (!modifier || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'n') {
        event.preventDefault();
        stores.dialogs.getState().openAdd();
        void clipboardUrls().then((urls) => {
          if (urls.length > 0 && stores.dialogs.getState().open.kind === 'add') stores.dialogs.getState().openAdd(urls);
        });
      } else if (key === 'f') {
        event.preventDefault();
        window.dispatchEvent(new Event(SEARCH_EVENT));
      } else if (key === ',') {
        event.preventDefault();
        stores.dialogs.getState().openSettings();
      }
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target) || stores.dialogs.getState().open.kind !== 'none') return;
      const urls = extractUrls(event.clipboardData?.getData('text/plain') ?? '');
      if (urls.length === 0) return;
      event.preventDefault();
      stores.dialogs.getState().openAdd(urls);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('paste', onPaste);
    };
  }, [stores]);
}
