import { useEffect, useState } from 'react';
import { useApp } from '../app/context.tsx';
import { extractUrls } from '../format/links.ts';

const carriesLinks = (event: DragEvent): boolean => {
  const types = event.dataTransfer?.types ?? [];
  return types.includes('text/uri-list') || types.includes('text/plain');
};

/** Links dropped anywhere on the window open the Add dialog with them; returns whether a drag is over the window. */
export function useLinkDrop(): boolean {
  const { stores } = useApp();
  const [dropping, setDropping] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; counting them tells when the drag really left.
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!carriesLinks(event)) return;
      depth += 1;
      setDropping(true);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesLinks(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDropping(false);
    };
    const onDrop = (event: DragEvent) => {
      depth = 0;
      setDropping(false);
      const data = event.dataTransfer;
      if (!data) return;
      const urls = extractUrls(`${data.getData('text/uri-list')}\n${data.getData('text/plain')}`);
      if (urls.length === 0) return;
      event.preventDefault();
      stores.dialogs.getState().openAdd(urls);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [stores]);

  return dropping;
}
