// Exposes the contract, and nothing else, to the renderer as `window.holdfast`: one function per
// call, `on` for events with the IPC event object stripped, and the desktop-only `printPdf`.
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, transportCalls, type DesktopApi, type EventName, type Events, type PrintPdfRequest, type TransportApi } from '@shared/contract';

const api: TransportApi & DesktopApi = {
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
  // Main checks the sender and validates the request; this only forwards it.
  printPdf: (request: PrintPdfRequest) => ipcRenderer.invoke(ipcChannels.printPdf, request),
};

contextBridge.exposeInMainWorld('holdfast', api);
