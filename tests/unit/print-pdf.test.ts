// Save as PDF in main, against fakes for the engine's dispatch, Electron's window, session, save
// dialog and the file system: the sender check, validation, the form exported by main itself (the
// renderer sends no HTML), engine errors passed on, the locked-down print window and its in-memory
// session, the paper size, the bytes written where the user chose, cancel, and failures that close
// the window and say what happened.
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '@shared/contract';
import type { Result } from '@shared/errors';
import type { IpcEventLike, IpcMainLike } from '../../electron/main/ipc';
import {
  maxPrintHtmlBytes,
  paperSizeFor,
  pdfFileName,
  printPartition,
  printPdf,
  registerPrintPdf,
  type PrintOptionsLike,
  type PrintPdfHost,
  type PrintWindowOptions,
  type SaveDialogOptionsLike,
} from '../../electron/main/print-pdf';

const form = '<!doctype html><html><head><meta charset="utf-8"><title>Custody</title></head><body><h1>Chain of custody — ü</h1></body></html>';
const pdfBytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]); // "%PDF-"

const which = { incidentId: 'inc_7', artifactId: 'art_1' };
const exported = (text: string, fileName = 'custody-INC-7-art_1.html') => ({ ok: true as const, value: { fileName, mimeType: 'text/html; charset=utf-8', text } });

type Listener = (event: { preventDefault(): void; url?: string }, url?: string) => void;
type RequestFilter = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

interface FakeBehaviour {
  /** The engine's answer to evidence.export; the custody form by default. */
  dispatch?: (name: unknown, request: unknown) => Promise<Result<unknown>>;
  load?: () => Promise<void>;
  print?: () => Promise<Uint8Array>;
}

/** Asks a request filter about a URL: true when it cancels the request. */
function cancels(filter: RequestFilter | undefined, url: string): boolean {
  let answer: { cancel: boolean } | undefined;
  filter!({ url }, (response) => (answer = response));
  return answer!.cancel;
}

function fakeHost(
  behaviour: FakeBehaviour = {},
  dialogAnswer: { canceled: boolean; filePath?: string } = { canceled: false, filePath: '/home/ana/Documents/custody.pdf' },
) {
  const windows: FakeWindow[] = [];
  const log: string[] = [];
  const session = {
    partitions: [] as string[],
    filter: undefined as RequestFilter | undefined,
    /** The filter as it stood when the page was loaded. */
    filterAtLoad: undefined as RequestFilter | undefined,
    permissionRequest: undefined as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined,
    permissionCheck: undefined as ((...args: unknown[]) => boolean) | undefined,
    webRequest: {
      onBeforeRequest: (listener: RequestFilter) => {
        session.filter = listener;
      },
    },
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void) {
      session.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      session.permissionCheck = handler;
    },
  };
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
      printToPDF: vi.fn(async (options: PrintOptionsLike) => {
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
      session.filterAtLoad = session.filter;
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
      this.listeners.get(event)!({ preventDefault, url }, url);
      return preventDefault.mock.calls.length > 0;
    }
  }
  const dialogs: SaveDialogOptionsLike[] = [];
  const written: { path: string; data: Uint8Array }[] = [];
  const host: PrintPdfHost = {
    dispatch: vi.fn(behaviour.dispatch ?? (async () => exported(form))),
    BrowserWindow: FakeWindow as unknown as PrintPdfHost['BrowserWindow'],
    printSession: (partition: string) => {
      session.partitions.push(partition);
      return session;
    },
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
  return { host, windows, dialogs, written, log, session };
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
  it('exports the custody form itself, through the engine dispatch, for the artifact named', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, which);
    expect(host.dispatch).toHaveBeenCalledTimes(1);
    expect(host.dispatch).toHaveBeenCalledWith('evidence.export', { incidentId: 'inc_7', format: 'custody-html', artifactId: 'art_1' });
    const url = windows[0].loadedUrl!;
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')).toBe(form);
  });

  it.each([
    ['incident', { incidentId: 'inc_7', kind: 'incident', format: 'html' }, 'incident-inc_7-report.html', 'incident-inc_7-report.pdf'],
    ['audit', { incidentId: 'inc_7', kind: 'audit', format: 'html' }, 'incident-inc_7-audit.html', 'incident-inc_7-audit.pdf'],
  ] as const)('prints the %s report the engine renders as HTML, named after it', async (kind, call, fileName, pdfName) => {
    const report = '<!doctype html><html><head><meta charset="utf-8"><title>Incident report</title></head><body><h1>Checkout down</h1></body></html>';
    const { host, windows, dialogs, written } = fakeHost({ dispatch: async () => exported(report, fileName) });
    const result = await printPdf(host, { incidentId: 'inc_7', report: { kind } });
    expect(result).toEqual({ ok: true, value: { path: '/home/ana/Documents/custody.pdf' } });
    expect(host.dispatch).toHaveBeenCalledTimes(1);
    expect(host.dispatch).toHaveBeenCalledWith('reports.render', call);
    const url = windows[0].loadedUrl!;
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')).toBe(report);
    expect(windows[0].options.webPreferences).toMatchObject({ javascript: false, sandbox: true });
    expect(windows[0].destroyed).toBe(true);
    expect(dialogs[0].defaultPath).toBe(`/home/ana/Documents/${pdfName}`);
    expect(written).toEqual([{ path: '/home/ana/Documents/custody.pdf', data: pdfBytes }]);
  });

  it('passes the engine’s not_found for a report of an unknown incident on, and opens no window', async () => {
    const { host, windows } = fakeHost({ dispatch: async () => ({ ok: false, error: { code: 'not_found', message: 'No incident inc_7 on this replica.' } }) });
    expect(await printPdf(host, { incidentId: 'inc_7', report: { kind: 'audit' } })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No incident inc_7 on this replica.' },
    });
    expect(windows).toHaveLength(0);
  });

  it('names the report in its messages, e.g. when it is too large to print', async () => {
    const { host, windows } = fakeHost({ dispatch: async () => exported('x'.repeat(maxPrintHtmlBytes + 1), 'incident-inc_7-audit.html') });
    expect(await printPdf(host, { incidentId: 'inc_7', report: { kind: 'audit' } })).toEqual({
      ok: false,
      error: {
        code: 'too_large',
        message: expect.stringMatching(/^The audit evidence report is \d+ bytes; .* Download the HTML audit evidence report and print it from a browser instead\.$/),
      },
    });
    expect(windows).toHaveLength(0);
  });

  it.each([
    ['not_found', 'Incident inc_7 not found.'],
    ['bad_request', 'Artifact art_1 belongs to another incident.'],
    ['internal', 'evidence.export failed inside Holdfast; nothing was changed. Details are in the log.'],
  ] as const)('passes the engine’s %s on as it is, and opens no window', async (code, message) => {
    const { host, windows } = fakeHost({ dispatch: async () => ({ ok: false, error: { code, message } }) });
    expect(await printPdf(host, which)).toEqual({ ok: false, error: { code, message } });
    expect(windows).toHaveLength(0);
    expect(host.showSaveDialog).not.toHaveBeenCalled();
  });

  it.each([
    ['nothing', undefined],
    ['no text', { fileName: 'custody.html', mimeType: 'text/html' }],
    ['empty text', { fileName: 'custody.html', mimeType: 'text/html', text: '' }],
    ['a string', '<p>form</p>'],
  ])('refuses an export that is not a custody form (%s) as internal, and logs it', async (_label, value) => {
    const onError = vi.fn();
    const { host, windows } = fakeHost({ dispatch: async () => ({ ok: true, value }) });
    expect(await printPdf(host, which, onError)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(windows).toHaveLength(0);
    expect(onError).toHaveBeenCalled();
  });

  it('prints in a hidden window without JavaScript, sandboxed and isolated, with no preload', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, which);
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
    expect(options.webPreferences).not.toHaveProperty('session');
  });

  it('uses its own in-memory session partition, not the default session', async () => {
    const { host, windows, session } = fakeHost();
    await printPdf(host, which);
    expect(printPartition).toBe('holdfast-print');
    expect(printPartition.startsWith('persist:')).toBe(false);
    expect(windows[0].options.webPreferences.partition).toBe(printPartition);
    expect(session.partitions).toEqual([printPartition]);
  });

  it('lets only the data: URL being printed through the session, and nothing once done', async () => {
    const { host, windows, session } = fakeHost();
    await printPdf(host, which);
    const url = windows[0].loadedUrl!;
    expect(cancels(session.filterAtLoad, url)).toBe(false);
    for (const other of [
      'https://evil.example/track.png',
      'http://127.0.0.1:8080/',
      'app://holdfast/index.html',
      'file:///etc/passwd',
      'data:text/html;base64,PHA+',
      `${url}#x`,
    ]) {
      expect(cancels(session.filterAtLoad, other), other).toBe(true);
    }
    expect(cancels(session.filter, url)).toBe(true);
  });

  it('denies every permission the print page asks for', async () => {
    const { host, session } = fakeHost();
    await printPdf(host, which);
    const granted = vi.fn();
    session.permissionRequest!({}, 'media', granted);
    session.permissionRequest!({}, 'notifications', granted);
    expect(granted.mock.calls).toEqual([[false], [false]]);
    expect(session.permissionCheck!({}, 'clipboard-read')).toBe(false);
  });

  it('loads exactly the exported HTML from a data: URL and prints it with backgrounds', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, which);
    const url = windows[0].loadedUrl!;
    expect(url.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')).toBe(form);
    expect(windows[0].webContents.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ printBackground: true }));
  });

  it.each([
    ['US', { printBackground: true, pageSize: 'Letter' }],
    ['ca', { printBackground: true, pageSize: 'Letter' }],
    ['DE', { printBackground: true, pageSize: 'A4' }],
    ['GB', { printBackground: true, pageSize: 'A4' }],
    ['', { printBackground: true }],
  ])('prints on the paper of the locale’s country %j', async (country, options) => {
    const { host, windows } = fakeHost();
    host.localeCountryCode = () => country;
    await printPdf(host, which);
    expect(windows[0].webContents.printToPDF).toHaveBeenCalledWith(options);
  });

  it('leaves the paper to Electron’s default (no pageSize) when the locale is not known', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, which);
    const options = windows[0].webContents.printToPDF.mock.calls[0][0];
    expect(options).toEqual({ printBackground: true });
    expect(options).not.toHaveProperty('pageSize');
  });

  it('denies every navigation, frame navigation, redirect, webview and new window in the print window', async () => {
    const { host, windows } = fakeHost();
    await printPdf(host, which);
    const w = windows[0];
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-navigate', 'app://holdfast/index.html')).toBe(true);
    expect(w.fire('will-frame-navigate', 'https://evil.example/frame')).toBe(true);
    expect(w.fire('will-frame-navigate', 'about:blank')).toBe(true);
    expect(w.fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(w.fire('will-attach-webview')).toBe(true);
    expect(w.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('closes the window before asking where to save, then writes the PDF bytes there', async () => {
    const { host, windows, dialogs, written, log } = fakeHost();
    const result = await printPdf(host, which);
    expect(result).toEqual({ ok: true, value: { path: '/home/ana/Documents/custody.pdf' } });
    expect(log).toEqual(['create', 'load', 'print {"printBackground":true}', 'destroy', 'dialog', 'write']);
    expect(windows[0].destroyed).toBe(true);
    expect(dialogs[0]).toMatchObject({
      defaultPath: '/home/ana/Documents/custody-INC-7-art_1.pdf',
      filters: [{ name: 'PDF document', extensions: ['pdf'] }],
    });
    expect(written).toEqual([{ path: '/home/ana/Documents/custody.pdf', data: pdfBytes }]);
  });

  it('proposes the engine’s file name, never a folder from it', async () => {
    const { host, dialogs } = fakeHost({ dispatch: async () => exported(form, '../../etc/custody-X.html') });
    await printPdf(host, which);
    expect(dialogs[0].defaultPath).toBe('/home/ana/Documents/custody-X.pdf');
  });

  it('answers path null and writes nothing when the user cancels', async () => {
    const { host, written, windows } = fakeHost({}, { canceled: true });
    expect(await printPdf(host, which)).toEqual({ ok: true, value: { path: null } });
    expect(written).toEqual([]);
    expect(windows[0].destroyed).toBe(true);
  });

  it('reports a printToPDF failure clearly, closes the window and asks nothing', async () => {
    const { host, windows, written, session } = fakeHost({ print: () => Promise.reject(new Error('Failed to generate PDF')) });
    const result = await printPdf(host, which);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('Failed to generate PDF') } });
    expect(result.ok || result.error.message).toContain('nothing was saved');
    expect(windows[0].destroyed).toBe(true);
    expect(cancels(session.filter, windows[0].loadedUrl!)).toBe(true);
    expect(host.showSaveDialog).not.toHaveBeenCalled();
    expect(written).toEqual([]);
  });

  it('reports a load failure and an empty PDF the same way', async () => {
    const failedLoad = fakeHost({ load: () => Promise.reject(new Error('ERR_INVALID_URL (-300)')) });
    expect(await printPdf(failedLoad.host, which)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('ERR_INVALID_URL') } });
    expect(failedLoad.windows[0].destroyed).toBe(true);
    expect(failedLoad.windows[0].webContents.printToPDF).not.toHaveBeenCalled();

    const empty = fakeHost({ print: async () => new Uint8Array() });
    expect(await printPdf(empty.host, which)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('no pages') } });
    expect(empty.windows[0].destroyed).toBe(true);
  });

  it('gives up on a page that never finishes loading, and closes its window', async () => {
    const { host, windows } = fakeHost({ load: () => new Promise(() => undefined) });
    host.timeoutMs = 20;
    const result = await printPdf(host, which);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('longer than') } });
    expect(windows[0].destroyed).toBe(true);
  });

  it('says so when the file cannot be written', async () => {
    const { host } = fakeHost();
    host.writeFile = async () => {
      throw new Error('EACCES: permission denied');
    };
    const result = await printPdf(host, which);
    expect(result).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('EACCES') } });
    expect(result.ok || result.error.message).toContain('/home/ana/Documents/custody.pdf');
  });

  it.each([
    ['no request', undefined],
    ['a string', 'print me'],
    ['HTML instead of an artifact', { html: form, fileName: 'custody.html' }],
    ['HTML alongside the artifact', { ...which, html: form }],
    ['no incident', { artifactId: 'art_1' }],
    ['no artifact', { incidentId: 'inc_7' }],
    ['an empty artifact id', { incidentId: 'inc_7', artifactId: '' }],
    ['an id that is not a string', { incidentId: 7, artifactId: 'art_1' }],
    ['an overlong id', { incidentId: 'i'.repeat(201), artifactId: 'art_1' }],
    ['an extra field', { ...which, path: '/etc/passwd' }],
    ['a report of an unknown kind', { incidentId: 'inc_7', report: { kind: 'summary' } }],
    ['a report without a kind', { incidentId: 'inc_7', report: {} }],
    ['a report as a string', { incidentId: 'inc_7', report: 'audit' }],
    ['a report with HTML', { incidentId: 'inc_7', report: { kind: 'audit', html: form } }],
    ['a report and an artifact both', { ...which, report: { kind: 'incident' } }],
    ['a report without an incident', { report: { kind: 'incident' } }],
  ])('refuses %s without asking the engine or opening a window', async (_label, request) => {
    const { host, windows } = fakeHost();
    const result = await printPdf(host, request);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(host.dispatch).not.toHaveBeenCalled();
    expect(windows).toHaveLength(0);
    expect(host.showSaveDialog).not.toHaveBeenCalled();
  });

  it.each([
    ['over the limit', 'x'.repeat(maxPrintHtmlBytes + 1)],
    ['over the limit in UTF-8 bytes', 'é'.repeat(maxPrintHtmlBytes / 2 + 1)],
  ])('refuses an exported form %s as too_large without opening a window', async (_label, html) => {
    const { host, windows } = fakeHost({ dispatch: async () => exported(html) });
    expect(await printPdf(host, which)).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(windows).toHaveLength(0);
  });

  it('accepts a form right at the limit (its data: URL stays under Chromium’s 2 MiB)', async () => {
    const { host, windows } = fakeHost({ dispatch: async () => exported('x'.repeat(maxPrintHtmlBytes)) });
    const result = await printPdf(host, which);
    expect(result.ok).toBe(true);
    expect(windows[0].loadedUrl!.length).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});

describe('paperSizeFor', () => {
  it.each([
    ['US', 'Letter'],
    ['CA', 'Letter'],
    ['MX', 'Letter'],
    ['PH', 'Letter'],
    ['us', 'Letter'],
    ['DE', 'A4'],
    ['FR', 'A4'],
    ['GB', 'A4'],
    ['JP', 'A4'],
    ['', undefined],
    ['USA', undefined],
    ['1', undefined],
    [undefined, undefined],
  ])('%j → %s', (country, paper) => {
    expect(paperSizeFor(country)).toBe(paper);
  });
});

describe('pdfFileName', () => {
  it('falls back to the name given for the document', () => {
    expect(pdfFileName('.html', 'audit-evidence-report')).toBe('audit-evidence-report.pdf');
    expect(pdfFileName('incident-INC-7-audit.html', 'audit-evidence-report')).toBe('incident-INC-7-audit.pdf');
  });

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
    const result = await handlers.get(ipcChannels.printPdf)!(fromApp, which);
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
    const result = await handlers.get(ipcChannels.printPdf)!({ senderFrame }, which);
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not allowed') } });
    expect(windows).toHaveLength(0);
  });

  it('trusts the dev server origin only when it is given', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerPrintPdf({ ipcMain, host: fakeHost().host, devServerUrl: 'http://localhost:5173/' });
    const dev = { senderFrame: { url: 'http://localhost:5173/', parent: null } };
    expect(await handlers.get(ipcChannels.printPdf)!(dev, which)).toMatchObject({ ok: true });
    const other = { senderFrame: { url: 'http://localhost:5174/', parent: null } };
    expect(await handlers.get(ipcChannels.printPdf)!(other, which)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('makes one PDF at a time', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    let finishLoad: () => void = () => undefined;
    let loads = 0;
    const { host } = fakeHost({ load: () => (loads++ === 0 ? new Promise<void>((resolve) => (finishLoad = resolve)) : Promise.resolve()) });
    registerPrintPdf({ ipcMain, host });
    const handler = handlers.get(ipcChannels.printPdf)!;
    const first = handler(fromApp, which);
    const second = await handler(fromApp, which);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(host.showSaveDialog).not.toHaveBeenCalled();
    finishLoad();
    expect(await first).toMatchObject({ ok: true });
    // Once it is done, the next one goes through.
    expect(await handler(fromApp, which)).toMatchObject({ ok: true });
  });

  it('turns an unexpected failure (the dialog throwing) into an internal error and logs it', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { host } = fakeHost();
    host.showSaveDialog = async () => {
      throw new Error('no display');
    };
    const onError = vi.fn();
    registerPrintPdf({ ipcMain, host, onError });
    const result = await handlers.get(ipcChannels.printPdf)!(fromApp, which);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('no display') } });
    expect(onError).toHaveBeenCalled();
  });
});
