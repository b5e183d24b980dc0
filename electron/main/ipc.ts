// IPC wiring of the contract: one `handle` per call. Before any handler runs, the sender must be
// the app's own main frame; the request is then parsed by its schema (in `dispatch`) and every
// failure comes back as `{code, message}`.
import { callNames, ipcChannels, type CallName } from '@shared/contract';
import type { Result } from '@shared/errors';
import type { Dispatch } from '@shared/rpc';
import { isAppUrl } from './security';

export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

export interface IpcEventLike {
  senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterApiOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  /** In development the UI comes from the Vite dev server; its origin is trusted then only. */
  devServerUrl?: string;
}

export function isTrustedSender(event: IpcEventLike, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url, devServerUrl);
}

/** Registers every call of the contract; returns a function that removes them again. */
export function registerApi({ ipcMain, dispatch, devServerUrl }: RegisterApiOptions): () => void {
  const register = (name: CallName) => {
    ipcMain.handle(ipcChannels.call(name), async (event, request): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, devServerUrl)) {
        return { ok: false, error: { code: 'forbidden', message: 'This window is not allowed to use the Holdfast API.' } };
      }
      return dispatch(name, request);
    });
  };
  callNames.forEach(register);
  return () => callNames.forEach((name) => ipcMain.removeHandler(ipcChannels.call(name)));
}
