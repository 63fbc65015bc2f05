/**
 * The preload: exposes `window.skein` (the contract's requests, retrieveResult,
 * onEvent) and nothing else. It runs sandboxed and is bundled into one CommonJS
 * file; only `electron` is required at run time.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BridgeEvent, Reply, SkeinBridge } from '../shared/contract/bridge.ts';
import { CHANNELS } from '../shared/contract/bridge.ts';
import { createBridge } from '../shared/contract/client.ts';
import { ExternalUrlNotAllowedError } from '../shared/contract/errors.ts';
import { serializeError } from '../shared/errors/base.ts';

const bridge: SkeinBridge = createBridge(
  (name, input) => ipcRenderer.invoke(CHANNELS.request, name, input) as Promise<Reply>,
  (listener) => {
    const forward = (_event: IpcRendererEvent, event: BridgeEvent): void => listener(event);
    ipcRenderer.on(CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, forward);
    };
  },
  // contextBridge keeps only the message of a thrown Error; plain objects cross whole.
  { rejectWith: 'serialized' },
);

const openExternal = bridge.openExternal;
bridge.openExternal = (input) => {
  // Links open only while the page has a fresh click or key press (transient activation).
  if (navigator.userActivation && !navigator.userActivation.isActive) {
    return Promise.reject(serializeError(new ExternalUrlNotAllowedError('Links open only on a click')));
  }
  return openExternal(input);
};

contextBridge.exposeInMainWorld('skein', bridge);
