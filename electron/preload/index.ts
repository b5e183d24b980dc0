// Exposes the contract, and nothing else, to the renderer as `window.holdfast`: one function per
// call, and `on` for events with the IPC event object stripped.
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, transportCalls, type EventName, type Events, type TransportApi } from '../../shared/contract';

const api: TransportApi = {
  ...transportCalls((name, request) => ipcRenderer.invoke(ipcChannels.call(name), request)),
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    const forward = (_ipcEvent: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as Events[E]);
    };
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('holdfast', api);
