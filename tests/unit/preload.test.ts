// The preload against a stand-in for Electron's two renderer-side modules: it must expose the
// contract's functions, `on` and the desktop-only `printPdf`, and nothing that reaches ipcRenderer directly.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames, type DesktopApi, type TransportApi } from '@shared/contract';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    listeners,
    exposed: new Map<string, unknown>(),
    invoke: vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } })),
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(listener);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => electron.listeners.get(channel)?.delete(listener),
  },
}));

let api: TransportApi & DesktopApi;
beforeAll(async () => {
  await import('../../electron/preload/index');
  api = electron.exposed.get('holdfast') as TransportApi & DesktopApi;
});

describe('preload', () => {
  it('exposes one object with exactly the contract calls, on and printPdf', () => {
    expect([...electron.exposed.keys()]).toEqual(['holdfast']);
    expect(Object.keys(api).sort()).toEqual([...callNames, 'on', 'printPdf'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('sends each call on its own channel', async () => {
    const result = await api['incidents.list']({ limit: 3 });
    expect(result).toEqual({ ok: true, value: { channel: 'holdfast:call:incidents.list', request: { limit: 3 } } });
  });

  it('sends printPdf on its own channel, request untouched', async () => {
    const request = { incidentId: 'inc_1', artifactId: 'art_1' };
    const result = await api.printPdf(request);
    expect(result).toEqual({ ok: true, value: { channel: 'holdfast:print-pdf', request } });
  });

  it('delivers only the named event, without the IPC event object, until unsubscribed', () => {
    const received: unknown[] = [];
    const off = api.on('incidents.changed', (payload) => received.push(payload));
    const emit = (...args: unknown[]) => electron.listeners.get('holdfast:event')?.forEach((l) => l({ sender: 'ipc' }, ...args));
    emit('incidents.changed', { incidentId: 'a' });
    emit('something.else', { incidentId: 'b' });
    off();
    emit('incidents.changed', { incidentId: 'c' });
    expect(received).toEqual([{ incidentId: 'a' }]);
  });
});
