import { describe, expect, it, vi } from 'vitest';
import { callNames, ipcChannels } from '@shared/contract';
import type { Result } from '@shared/errors';
import { registerApi, type FrameLike, type IpcEventLike, type IpcMainLike } from '../../electron/main/ipc';

type Listener = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

const mainFrame = (url: string): FrameLike => ({ url, parent: null });

describe('registerApi', () => {
  it('registers exactly one channel per call of the contract', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerApi({ ipcMain, dispatch: vi.fn() });
    expect([...handlers.keys()].sort()).toEqual(callNames.map(ipcChannels.call).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('dispatches a call from the app main frame', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispatch = vi.fn(async (): Promise<Result<unknown>> => ({ ok: true, value: [] }));
    registerApi({ ipcMain, dispatch });
    const result = await handlers.get('holdfast:call:incidents.list')!({ senderFrame: mainFrame('app://holdfast/index.html') }, {});
    expect(result).toEqual({ ok: true, value: [] });
    expect(dispatch).toHaveBeenCalledWith('incidents.list', {});
  });

  it.each([
    ['a sub-frame of the app', { url: 'app://holdfast/index.html', parent: mainFrame('app://holdfast/index.html') }],
    ['a remote page', mainFrame('https://evil.example/')],
    ['a file:// page', mainFrame('file:///tmp/index.html')],
    ['another app:// host', mainFrame('app://other/index.html')],
    ['a destroyed frame', null],
  ])('refuses %s and never dispatches', async (_label, senderFrame) => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispatch = vi.fn();
    registerApi({ ipcMain, dispatch });
    const result = await handlers.get('holdfast:call:incidents.create')!({ senderFrame }, { title: 'x', severity: 'SEV1' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not allowed') } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('trusts the dev server origin only when it is given', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispatch = vi.fn(async (): Promise<Result<unknown>> => ({ ok: true, value: [] }));
    registerApi({ ipcMain, dispatch, devServerUrl: 'http://localhost:5173/' });
    const fromDev = await handlers.get('holdfast:call:incidents.list')!({ senderFrame: mainFrame('http://localhost:5173/') }, {});
    expect(fromDev).toEqual({ ok: true, value: [] });
    const fromOtherPort = await handlers.get('holdfast:call:incidents.list')!({ senderFrame: mainFrame('http://localhost:5174/') }, {});
    expect(fromOtherPort).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
