import { LoaderCircle, RefreshCw, WifiOff } from 'lucide-react';
import { useStore } from 'zustand';
import { useApp } from '../app/context.tsx';
import { healthOf, type Health } from '../stores/connection.ts';
import styles from './HealthBanner.module.css';

function words(health: Health): { title: string; detail: string } | null {
  switch (health.kind) {
    case 'ok':
      return null;
    case 'connecting':
      return { title: 'Connecting to Skein…', detail: 'Your downloads appear as soon as the connection is up.' };
    case 'disconnected':
      return { title: 'Lost the connection to Skein.', detail: 'Reconnecting by itself; downloads keep going in the background.' };
    case 'lost':
      return {
        title: 'Skein is not answering.',
        detail: 'Still trying. If it was stopped, start it again; if it printed a new address, open that one (the token changes on every start).',
      };
    case 'starting':
      return { title: 'Starting the download engine…', detail: 'This takes a moment.' };
    case 'restarting':
      return { title: 'The download engine is restarting.', detail: `${health.message ? `${health.message} ` : ''}Downloads resume where they stopped once it is back.` };
    case 'stopped':
      return { title: 'The download engine stopped.', detail: `${health.message ? `${health.message} ` : ''}Restart Skein to continue your downloads.` };
  }
}

/** Says, above the list, when the window cannot reach the engine and what will happen; absent when all is well. */
export function HealthBanner() {
  const store = useApp().stores.connection;
  const link = useStore(store, (state) => state.link);
  const reactor = useStore(store, (state) => state.reactor);
  const reactorMessage = useStore(store, (state) => state.reactorMessage);
  const full = healthOf({ link, reactor, reactorMessage });
  const health = full.kind;
  const text = words(full);
  if (!text) return null;
  const still = health === 'disconnected' || health === 'lost' || health === 'stopped';
  const Icon = health === 'disconnected' || health === 'lost' ? WifiOff : health === 'stopped' ? RefreshCw : LoaderCircle;
  return (
    <div className={styles.banner} role="status" data-kind={health}>
      <Icon size={16} className={still ? undefined : styles.spin} aria-hidden="true" />
      <span>
        <strong>{text.title}</strong> {text.detail}
      </span>
    </div>
  );
}
