// "Save as PDF" for the desktop app (the evidence custody form). The renderer sends the HTML the
// engine exported; main renders it in a hidden window that runs no JavaScript, has no preload and
// may not navigate, prints it with Chromium's PDF printer, closes the window and writes the PDF
// where the user says. Written against small interfaces so all of it is unit-tested without
// Electron (tests/unit/print-pdf.test.ts); electron/main/index.ts passes the real objects.
//
// Answers: `{ok: true, value: {path}}` once written, `{ok: true, value: {path: null}}` when the user
// cancels the save dialog (not an error: nothing to report), and otherwise `{ok: false, error}`
// with `forbidden` (not the app's window), `bad_request` (invalid request), `too_large` (HTML over
// maxPrintHtmlBytes), `conflict` (another PDF is being made), `internal` (rendering or printing
// failed or timed out; nothing was saved) or `unavailable` (the file could not be written).
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { ipcChannels, type PrintPdfRequest, type PrintPdfSaved } from '../../shared/contract';
import type { ErrorCode, Result } from '../../shared/errors';
import { describeIssues } from '../../shared/rpc';
import { isTrustedSender, type IpcMainLike } from './ipc';

/**
 * Largest HTML accepted, in UTF-8 bytes. The page is loaded from a base64 data: URL and Chromium
 * refuses URLs over 2 MiB (2,097,152 characters); 1.5 MB of HTML is 2,000,000 base64 characters.
 * A custody form is a few dozen kilobytes.
 */
export const maxPrintHtmlBytes = 1_500_000;
const maxUrlChars = 2 * 1024 * 1024;

/** How long loading and printing may take before the attempt is abandoned. */
export const printTimeoutMs = 30_000;

export const printPdfRequest = z
  .object({
    html: z.string().min(1, 'give the HTML to print'),
    fileName: z.string().trim().min(1, 'give a file name').max(255, 'use at most 255 characters'),
  })
  .strict() satisfies z.ZodType<PrintPdfRequest>;

export interface PrintWindowOptions {
  show: boolean;
  width: number;
  height: number;
  skipTaskbar: boolean;
  focusable: boolean;
  webPreferences: Record<string, unknown>;
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface PrintContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  printToPDF(options: { printBackground: boolean; pageSize: 'A4' }): Promise<Uint8Array>;
}

export interface PrintWindowLike {
  webContents: PrintContentsLike;
  loadURL(url: string): Promise<void>;
  destroy(): void;
  isDestroyed(): boolean;
}

export interface SaveDialogOptionsLike {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('createDirectory' | 'showOverwriteConfirmation')[];
}

/** What printing needs from Electron and the file system. */
export interface PrintPdfHost {
  BrowserWindow: new (options: PrintWindowOptions) => PrintWindowLike;
  showSaveDialog(options: SaveDialogOptionsLike): Promise<{ canceled: boolean; filePath?: string }>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Folder the save dialog opens in (the user's Documents); the dialog's own choice when absent. */
  defaultDirectory?: () => string;
  /** Platform path joiner; the default only handles '/'. */
  joinPath?: (directory: string, name: string) => string;
  timeoutMs?: number;
}

/**
 * The hidden window the HTML is printed in: no JavaScript, no preload, sandboxed, isolated, no
 * Node. Written out literally, like createSecureWindow in security.ts, for reviewers and scanners.
 */
export function createPrintWindow<W>(BrowserWindow: new (options: PrintWindowOptions) => W): W {
  return new BrowserWindow({
    show: false,
    width: 794,
    height: 1123,
    skipTaskbar: true,
    focusable: false,
    webPreferences: {
      javascript: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/**
 * The page only ever shows the HTML main loaded into it: every navigation (a meta refresh, a link),
 * redirect, webview and new window is refused. Loading by `loadURL` from main is not a navigation
 * these events see.
 */
export function lockPrintContents(contents: PrintContentsLike): void {
  const deny = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The name the save dialog proposes: the HTML's own name, without folders, as .pdf. */
export function pdfFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '-')
    .replace(/\.x?html?$/i, '')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 150);
  return `${cleaned || 'custody-form'}.pdf`;
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rejects after `ms`; the late outcome of `work` is dropped so it cannot become an unhandled rejection. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it took longer than ${Math.round(ms / 1000)} seconds`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Validates the request, prints it to PDF in a locked-down hidden window, asks where, writes it. */
export async function printPdf(
  host: PrintPdfHost,
  request: unknown,
  onError?: (error: unknown) => void,
): Promise<Result<PrintPdfSaved>> {
  const parsed = printPdfRequest.safeParse(request ?? {});
  if (!parsed.success) return failure('bad_request', `Invalid request to save a PDF: ${describeIssues(parsed.error)}`);
  const { html, fileName } = parsed.data;
  const bytes = Buffer.from(html, 'utf8');
  if (bytes.length > maxPrintHtmlBytes) {
    return failure('too_large', `The document is ${bytes.length} bytes; Holdfast prints at most ${maxPrintHtmlBytes} bytes to PDF. Download the HTML form and print it from a browser instead.`);
  }
  const url = `data:text/html;charset=utf-8;base64,${bytes.toString('base64')}`;
  if (url.length > maxUrlChars) return failure('too_large', 'The document is too large to print to PDF; download the HTML form instead.');

  let pdf: Uint8Array;
  let printWindow: PrintWindowLike | undefined;
  try {
    const opened = createPrintWindow(host.BrowserWindow);
    printWindow = opened;
    lockPrintContents(opened.webContents);
    const work = (async () => {
      await opened.loadURL(url);
      return opened.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    })();
    pdf = await withTimeout(work, host.timeoutMs ?? printTimeoutMs);
    if (!pdf || pdf.byteLength === 0) throw new Error('the printer returned no pages');
  } catch (error) {
    onError?.(error);
    return failure('internal', `Holdfast could not make the PDF (${reason(error)}); nothing was saved. Try again, or download the HTML form and print it.`);
  } finally {
    if (printWindow && !printWindow.isDestroyed()) printWindow.destroy();
  }

  const name = pdfFileName(fileName);
  const directory = host.defaultDirectory?.();
  const join = host.joinPath ?? ((dir: string, file: string) => `${dir.replace(/\/+$/, '')}/${file}`);
  const choice = await host.showSaveDialog({
    title: 'Save as PDF',
    defaultPath: directory ? join(directory, name) : name,
    buttonLabel: 'Save PDF',
    filters: [{ name: 'PDF document', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return { ok: true, value: { path: null } };

  try {
    await host.writeFile(choice.filePath, pdf);
  } catch (error) {
    return failure('unavailable', `Could not save the PDF to ${choice.filePath} (${reason(error)}). Choose another folder.`);
  }
  return { ok: true, value: { path: choice.filePath } };
}

export interface RegisterPrintPdfOptions {
  ipcMain: IpcMainLike;
  host: PrintPdfHost;
  /** In development the UI comes from the Vite dev server; its origin is trusted then only. */
  devServerUrl?: string;
  /** Where unexpected failures are logged (the user gets the message in the answer). */
  onError?: (error: unknown) => void;
}

/**
 * Handles the print-pdf channel: the sender must be the app's own main frame, exactly as for the
 * contract's calls (ipc.ts); one PDF at a time. Returns a function that removes the handler.
 */
export function registerPrintPdf({ ipcMain, host, devServerUrl, onError }: RegisterPrintPdfOptions): () => void {
  let isBusy = false;
  ipcMain.handle(ipcChannels.printPdf, async (event, request): Promise<Result<PrintPdfSaved>> => {
    if (!isTrustedSender(event, devServerUrl)) {
      return failure('forbidden', 'This window is not allowed to use the Holdfast API.');
    }
    if (isBusy) return failure('conflict', 'A PDF is already being saved; finish that one first.');
    isBusy = true;
    try {
      return await printPdf(host, request, onError);
    } catch (error) {
      onError?.(error);
      return failure('internal', `Saving the PDF failed inside Holdfast (${reason(error)}); nothing was saved.`);
    } finally {
      isBusy = false;
    }
  });
  return () => ipcMain.removeHandler(ipcChannels.printPdf);
}
