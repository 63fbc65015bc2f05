import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useApp, useSlice } from '../app/context.tsx';
import { rowActions } from './row-actions.ts';
import styles from './RowMenu.module.css';

/** A row's context menu (right click, the ⋯ button, or the Menu key): every action for that download. */
export function RowMenu({ id, x, y, onClose }: { id: string; x: number; y: number; onClose(): void }) {
  const app = useApp();
  const download = useSlice('downloads', (state) => state.byId.get(id));
  const host = useSlice('connection', (state) => state.appInfo?.host);
  const menu = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: x, top: y });
  const returnFocus = useRef<Element | null>(null);

  // Keep the menu inside the window.
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      left: Math.max(8, Math.min(x, window.innerWidth - box.width - 8)),
      top: Math.max(8, Math.min(y, window.innerHeight - box.height - 8)),
    });
  }, [x, y]);

  useEffect(() => {
    returnFocus.current = document.activeElement;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('pointerdown', onPointerDown, true);
      if (returnFocus.current instanceof HTMLElement && returnFocus.current.isConnected) returnFocus.current.focus();
    };
  }, [onClose]);

  if (!download) return null;
  const items = rowActions(download, app, host);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = (index + 1) % entries.length;
    else if (event.key === 'ArrowUp') next = (index - 1 + entries.length) % entries.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = entries.length - 1;
    else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (next !== null) {
      event.preventDefault();
      entries[next]?.focus();
    }
    event.stopPropagation();
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={`Actions for ${download.fileName}`}
      className={styles.menu}
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <button
          key={item.key}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={styles.item}
          data-danger={item.danger || undefined}
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          <item.icon size={15} aria-hidden="true" />
          {item.label}
        </button>
      ))}
    </div>
  );
}
