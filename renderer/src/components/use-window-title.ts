import { useEffect } from 'react';
import { useSlice } from '../app/context.tsx';

/** "42% · 3 downloading — Skein" in the title (and the taskbar) while anything moves; "Skein" otherwise. */
export function useWindowTitle(): void {
  const active = useSlice('downloads', (state) => state.activeCount);
  const percent = useSlice('downloads', (state) =>
    state.activeBytes.total > 0 ? Math.floor((state.activeBytes.done / state.activeBytes.total) * 100) : null,
  );
  useEffect(() => {
    document.title = active === 0 ? 'Skein' : `${percent === null ? '' : `${percent}% · `}${active} downloading — Skein`;
  }, [active, percent]);
}
