import type { BridgeEvent } from '../../shared/contract/bridge.ts';
import { ENGINE_EVENTS, type DownloadChangedEvent, type ProgressEvent } from '../../shared/download/engine-api.ts';
import type { Settings } from '../../shared/download/types.ts';
import type { Disposer } from '../../shared/reactor/protocol.ts';
import { subscribe } from '../reactor/index.ts';

/**
 * Turns the engine's events into the events windows receive. Payloads come from
 * the reactor process; a malformed one is reported and dropped, never forwarded.
 */
export function bridgeEventsFromReactor(emit: (event: BridgeEvent) => void, report: (message: string, payload: unknown) => void): Disposer[] {
  return [
    subscribe(ENGINE_EVENTS.progress, (payload) => {
      const updates = (payload as Partial<ProgressEvent> | null)?.updates;
      if (Array.isArray(updates)) emit({ type: 'progress', updates });
      else report('dropped a malformed progress event', payload);
    }),
    subscribe(ENGINE_EVENTS.download, (payload) => {
      if (isDownloadChange(payload)) emit({ type: 'download', change: payload });
      else report('dropped a malformed download event', payload);
    }),
    subscribe(ENGINE_EVENTS.settings, (payload) => {
      if (typeof payload === 'object' && payload !== null) emit({ type: 'settings', settings: payload as Settings });
      else report('dropped a malformed settings event', payload);
    }),
  ];
}

function isDownloadChange(payload: unknown): payload is DownloadChangedEvent {
  if (typeof payload !== 'object' || payload === null) return false;
  const change = payload as { kind?: unknown; id?: unknown; snapshot?: unknown };
  if (change.kind === 'removed') return typeof change.id === 'string';
  return (change.kind === 'added' || change.kind === 'changed') && typeof change.snapshot === 'object' && change.snapshot !== null;
}
