// Save as PDF in main, against fakes for Electron's window, save dialog and the file system: the
// sender check, validation, the locked-down print window, the bytes written where the user chose,
// cancel, and failures that close the window and say what happened.
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../shared/contract';
import type { IpcEventLike, IpcMainLike } from '../../electron/main/ipc';
import {
  maxPrintHtmlBytes,
  pdfFileName,
  printPdf,
  registerPrintPdf,
  type PrintPdfHost,
  type PrintWindowOptions,
  type SaveDialogOptionsLike,
} from '../../electron/main/print-pdf';

const form = '<!doctype html><html><head><meta charset="utf-8"><title>Custody</title></head><body><h1>Chain of custody — ü</h1></body></html>';
const pdfBytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]); // "%PDF-"

type Listener = (event: { preventDefault(): void }, url?: string) => void;

interface FakeBehaviour {
  load?: () => Promise<void>;
  print?: () => Promise<Uint8Array>;
}

function fakeHost(behaviour: FakeBehaviour = {}, dialogAnswer: { canceled: boolean; filePath?: string } = { canceled: false, filePath: '/home/ana/Documents/custody.pdf' }) {
  const windows: FakeWindow[] = [];
  const log: string[] = [];
  class FakeWindow {
    readonly listeners = new Map<string, Listener>();
    openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    destroyed = false;
    loadedUrl: string | undefined;
    readonly webContents = {
      on: (event: string, listener: Listener) => {
        this.listeners.set(event, listener);
      },
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => {
        this.openHandler = handler;
      },
      printToPDF: vi.fn(async (options: { printBackground: boolean; pageSize: 'A4' }) => {
        log.push(`print ${JSON.stringify(options)}`);
        return behaviour.print ? behaviour.print() : pdfBytes;
      }),
    };
    constructor(readonly options: PrintWindowOptions) {
      windows.push(this);
      log.push('create');
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
      log.push('load');
      if (behaviour.load) await behaviour.load();
    }
    destroy() {
      this.destroyed = true;
      log.push('destroy');
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** Fires a webContents event; true when the listener refused it. */
    fire(event: string, url?: string) {
      const preventDefault = vi.fn();
      this.listeners.get(event)!({ preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    }
  }
  const dialogs: SaveDialogOptionsLike[] = [];
  const written: { path: string; data: Uint8Array }[] = [];
  const host: PrintPdfHost = {
    BrowserWindow: FakeWindow as unknown as PrintPdfHost['BrowserWindow'],
    showSaveDialog: vi.fn(async (options: SaveDialogOptionsLike) => {
      dialogs.push(options);
      log.push('dialog');
      return dialogAnswer;
    }),
    writeFile: vi.fn(async (path: string, data: Uint8Array) => {
      written.push({ path, data });
      log.push('write');
    }),
    defaultDirectory: () => '/home/ana/Documents',
  };
  return { host, windows, dialogs, written, log };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

const fromApp: IpcEventLike = { senderFrame: { url: 'app://holdfast/index.html', parent: null } };

describe('printPdf', () => {
  it('prints in a hidden window without JavaScript, sandboxed and isolated, with no preload', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, { html: form, fileName: 'custody.html' });
    expect(windows).toHaveLength(1);
    const { options } = windows[0];
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.webPreferences).not.toHaveProperty('preload');
  });

  it('loads exactly the HTML from a data: URL and prints it as A4 with backgrounds', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, { html: form, fileName: 'custody.html' });
    const url = windows[0].loadedUrl!;
    expect(url.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')).toBe(form);
    expect(windows[0].webContents.printToPDF).toHaveBeenCalledWith({ printBackground: true, pageSize: 'A4' });
  });

  it('denies every navigation, redirect, webview and new window in the print window', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, { html: form, fileName: 'custody.html' });
    const w = windows[0];
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-navigate', 'app://holdfast/index.html')).toBe(true);
    expect(w.fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(w.fire('will-attach-webview')).toBe(true);
    expect(w.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('closes the window before asking where to save, then writes the PDF bytes there', async () => {
    const { host, windows, dialogs, written, log } = fakeHost();
    const result = await printPdf(host, { html: form, fileName: 'custody-INC-7-art_1.html' });
    expect(result).toEqual({ ok: true, value: { path: '/home/ana/Documents/custody.pdf' } });
    expect(log).toEqual(['create', 'load', 'print {"printBackground":true,"pageSize":"A4"}', 'destroy', 'dialog', 'write']);
    expect(windows[0].destroyed).toBe(true);
    expect(dialogs[0]).toMatchObject({
      defaultPath: '/home/ana/Documents/custody-INC-7-art_1.pdf',
      filters: [{ name: 'PDF document', extensions: ['pdf'] }],
    });
    expect(written).toEqual([{ path: '/home/ana/Documents/custody.pdf', data: pdfBytes }]);
  });

  it('answers path null and writes nothing when the user cancels', async () => {
    const { host, written, windows } = fakeHost({}, { canceled: true });
    expect(await printPdf(host, { html: form, fileName: 'custody.html' })).toEqual({ ok: true, value: { path: null } });
    expect(written).toEqual([]);
    expect(windows[0].destroyed).toBe(true);
  });

  it('reports a printToPDF failure clearly, closes the window and asks nothing', async () => {
    const { host, windows, written } = fakeHost({ print: () => Promise.reject(new Error('Failed to generate PDF')) });
    const result = await printPdf(host, { html: form, fileName: 'custody.html' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('Failed to generate PDF') } });
    expect(result.ok || result.error.message).toContain('nothing was saved');
    expect(windows[0].destroyed).toBe(true);
    expect(host.showSaveDialog).not.toHaveBeenCalled();
    expect(written).toEqual([]);
  });

  it('reports a load failure and an empty PDF the same way', async () => {
    const failedLoad = fakeHost({ load: () => Promise.reject(new Error('ERR_INVALID_URL (-300)')) });
    expect(await printPdf(failedLoad.host, { html: form, fileName: 'f.html' })).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('ERR_INVALID_URL') } });
    expect(failedLoad.windows[0].destroyed).toBe(true);
    expect(failedLoad.windows[0].webContents.printToPDF).not.toHaveBeenCalled();

    const empty = fakeHost({ print: async () => new Uint8Array() });
    expect(await printPdf(empty.host, { html: form, fileName: 'f.html' })).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('no pages') } });
    expect(empty.windows[0].destroyed).toBe(true);
  });

  it('gives up on a page that never finishes loading, and closes its window', async () => {
    const { host, windows } = fakeHost({ load: () => new Promise(() => undefined) });
    host.timeoutMs = 20;
    const result = await printPdf(host, { html: form, fileName: 'custody.html' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('longer than') } });
    expect(windows[0].destroyed).toBe(true);
  });

  it('says so when the file cannot be written', async () => {
    const { host } = fakeHost();
    host.writeFile = async () => {
      throw new Error('EACCES: permission denied');
    };
    const result = await printPdf(host, { html: form, fileName: 'custody.html' });
    expect(result).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('EACCES') } });
    expect(result.ok || result.error.message).toContain('/home/ana/Documents/custody.pdf');
  });

  it.each([
    ['no request', undefined, 'bad_request'],
    ['a string', 'print me', 'bad_request'],
    ['no html', { fileName: 'custody.html' }, 'bad_request'],
    ['empty html', { html: '', fileName: 'custody.html' }, 'bad_request'],
    ['html that is not a string', { html: 42, fileName: 'custody.html' }, 'bad_request'],
    ['no file name', { html: form }, 'bad_request'],
    ['a blank file name', { html: form, fileName: '   ' }, 'bad_request'],
    ['an extra field', { html: form, fileName: 'custody.html', path: '/etc/passwd' }, 'bad_request'],
    ['HTML over the limit', { html: 'x'.repeat(maxPrintHtmlBytes + 1), fileName: 'custody.html' }, 'too_large'],
    ['HTML over the limit in UTF-8 bytes', { html: 'é'.repeat(maxPrintHtmlBytes / 2 + 1), fileName: 'custody.html' }, 'too_large'],
  ])('refuses %s without opening a window', async (_label, request, code) => {
    const { host, windows } = fakeHost();
    const result = await printPdf(host, request);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(windows).toHaveLength(0);
    expect(host.showSaveDialog).not.toHaveBeenCalled();
  });

  it('accepts HTML right at the limit (its data: URL stays under Chromium’s 2 MiB)', async () => {
    const { host, windows } = fakeHost();
    const result = await printPdf(host, { html: 'x'.repeat(maxPrintHtmlBytes), fileName: 'big.html' });
    expect(result.ok).toBe(true);
    expect(windows[0].loadedUrl!.length).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});

describe('pdfFileName', () => {
  it.each([
    ['custody-INC-2291-art_1.html', 'custody-INC-2291-art_1.pdf'],
    ['Form.HTM', 'Form.pdf'],
    ['../../etc/passwd', 'passwd.pdf'],
    ['C:\\Users\\x\\form.html', 'form.pdf'],
    ['a<b>:c"d|e?f*.html', 'a-b--c-d-e-f-.pdf'],
    ['..', 'custody-form.pdf'],
    ['.html', 'custody-form.pdf'],
  ])('%s → %s', (input, expected) => {
    expect(pdfFileName(input)).toBe(expected);
  });
});

describe('registerPrintPdf', () => {
  it('handles its own channel and removes it again', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerPrintPdf({ ipcMain, host: fakeHost().host });
    expect([...handlers.keys()]).toEqual([ipcChannels.printPdf]);
    expect(ipcChannels.printPdf).toBe('holdfast:print-pdf');
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('prints for the app main frame', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { host, written } = fakeHost();
    registerPrintPdf({ ipcMain, host });
    const result = await handlers.get(ipcChannels.printPdf)!(fromApp, { html: form, fileName: 'custody.html' });
    expect(result).toEqual({ ok: true, value: { path: '/home/ana/Documents/custody.pdf' } });
    expect(written).toHaveLength(1);
  });

  it.each([
    ['a sub-frame of the app', { url: 'app://holdfast/index.html', parent: { url: 'app://holdfast/index.html', parent: null } }],
    ['a remote page', { url: 'https://evil.example/', parent: null }],
    ['a data: page (such as the print window itself)', { url: 'data:text/html;base64,PHA+', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['a destroyed frame', null],
  ])('refuses %s and opens no window', async (_label, senderFrame) => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { host, windows } = fakeHost();
    registerPrintPdf({ ipcMain, host });
    const result = await handlers.get(ipcChannels.printPdf)!({ senderFrame }, { html: form, fileName: 'custody.html' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not allowed') } });
    expect(windows).toHaveLength(0);
  });

  it('trusts the dev server origin only when it is given', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerPrintPdf({ ipcMain, host: fakeHost().host, devServerUrl: 'http://localhost:5173/' });
    const dev = { senderFrame: { url: 'http://localhost:5173/', parent: null } };
    expect(await handlers.get(ipcChannels.printPdf)!(dev, { html: form, fileName: 'f.html' })).toMatchObject({ ok: true });
    const other = { senderFrame: { url: 'http://localhost:5174/', parent: null } };
    expect(await handlers.get(ipcChannels.printPdf)!(other, { html: form, fileName: 'f.html' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('makes one PDF at a time', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    let finishLoad: () => void = () => undefined;
    let loads = 0;
    const { host } = fakeHost({ load: () => (loads++ === 0 ? new Promise<void>((resolve) => (finishLoad = resolve)) : Promise.resolve()) });
    registerPrintPdf({ ipcMain, host });
    const handler = handlers.get(ipcChannels.printPdf)!;
    const first = handler(fromApp, { html: form, fileName: 'a.html' });
    const second = await handler(fromApp, { html: form, fileName: 'b.html' });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(host.showSaveDialog).not.toHaveBeenCalled();
    finishLoad();
    expect(await first).toMatchObject({ ok: true });
    // Once it is done, the next one goes through.
    expect(await handler(fromApp, { html: form, fileName: 'c.html' })).toMatchObject({ ok: true });
  });

  it('turns an unexpected failure (the dialog throwing) into an internal error and logs it', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { host } = fakeHost();
    host.showSaveDialog = async () => {
      throw new Error('no display');
    };
    const onError = vi.fn();
    registerPrintPdf({ ipcMain, host, onError });
    const result = await handlers.get(ipcChannels.printPdf)!(fromApp, { html: form, fileName: 'custody.html' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('no display') } });
    expect(onError).toHaveBeenCalled();
  });
});
