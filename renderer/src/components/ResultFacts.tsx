import { useStore } from 'zustand';
import { useApp } from '../app/context.tsx';

const PHASES = {
  attaching: 'Attaching…',
  waiting: 'Held by this window, waiting',
  stashed: 'Stashed',
  finished: 'Retrieved',
  lost: 'Lost with the connection; re-attaches when it is back',
} as const;

/** The Crochet side of a download: the stash uid this window follows it by, and how the bounded waits went. */
export function ResultFacts({ id }: { id: string }) {
  const attachment = useStore(useApp().results.store, (state) => state.attachments.get(id));
  if (!attachment) return null;
  const outcome = attachment.outcome ? ` (${attachment.outcome})` : '';
  return (
    <>
      <dt>Result</dt>
      <dd>
        {PHASES[attachment.phase]}
        {outcome}
        {attachment.uid !== null && attachment.phase !== 'finished' ? ` · uid ${attachment.uid}` : ''}
        {attachment.restashes > 0 ? ` · stashed again ${attachment.restashes}×` : ''}
      </dd>
    </>
  );
}
