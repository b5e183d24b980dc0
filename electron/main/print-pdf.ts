// "Save as PDF" for the desktop app: an artifact's evidence custody form, or a report of an incident
// (the incident report or the audit evidence report). The renderer names what to print
// (`{incidentId, artifactId}` or `{incidentId, report: {kind}}`), never the HTML: main asks the
// engine for the document itself (`evidence.export` format custody-html, or `reports.render` format
// html, through the same dispatch as the IPC calls), renders it in a hidden window that runs no
// JavaScript, has no preload, may not navigate and sits in its own in-memory session that lets no
// request out, prints it with Chromium's PDF printer, closes the window and writes the PDF where
// the user says. Written against small interfaces so all of it is unit-tested without Electron
// (tests/unit/print-pdf.test.ts); electron/main/index.ts passes the real objects.
//
// Answers: `{ok: true, value: {path}}` once written, `{ok: true, value: {path: null}}` when the user
// cancels the save dialog (not an error: nothing to report), and otherwise `{ok: false, error}`
// with `forbidden` (not the app's window), `bad_request` (invalid request), the engine's own error
// for the export (`not_found` for an unknown incident or artifact, `bad_request` for an artifact
// of another incident, …), `too_large` (HTML over maxPrintHtmlBytes), `conflict` (another PDF is
// being made), `internal` (rendering or printing failed or timed out; nothing was saved) or
// `unavailable` (the file could not be written).
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { ipcChannels, type CallName, type PrintPdfRequest, type PrintPdfSaved } from '@shared/contract';
import { reportKinds } from '@shared/domain/review';
import type { ErrorCode, Result } from '@shared/errors';
import { describeIssues, type Dispatch } from '@shared/rpc';
import { isTrustedSender, type IpcMainLike } from './ipc';
import { denyPermissions, type SessionLike } from './security';

/**
 * Largest HTML accepted, in UTF-8 bytes. The page is loaded from a base64 data: URL and Chromium
 * refuses URLs over 2 MiB (2,097,152 characters); 1.5 MB of HTML is 2,000,000 base64 characters.
 * A custody form is a few dozen kilobytes; a report, tens to hundreds (an audit report of a very
 * long incident may be more: it is then saved as HTML and printed from a browser).
 */
export const maxPrintHtmlBytes = 1_500_000;
const maxUrlChars = 2 * 1024 * 1024;

/** How long loading and printing may take before the attempt is abandoned. */
export const printTimeoutMs = 30_000;

/**
 * The print window's session: its own partition, in memory (no `persist:` prefix), so the page
 * shares no cookies, cache or storage with the app and nothing it does outlives the app.
 */
export const printPartition = 'holdfast-print';

const idOf = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .min(1, `give ${what}`)
    .max(200, 'must be at most 200 characters');

/**
 * What to print, one of: an artifact's custody form, or a report of the incident. Main makes the
 * HTML from the engine itself; the renderer sends no HTML.
 */
export const printPdfRequest = z.union([
  z.object({ incidentId: idOf('an incident id'), artifactId: idOf('an artifact id') }).strict(),
  z
    .object({
      incidentId: idOf('an incident id'),
      report: z.object({ kind: z.enum(reportKinds, { error: `must be ${reportKinds.join(' or ')}` }) }).strict(),
    })
    .strict(),
]) satisfies z.ZodType<PrintPdfRequest>;

/** Which engine call makes the document, with what, and what to call it in messages. */
function documentOf(request: z.output<typeof printPdfRequest>): { call: CallName; args: Record<string, unknown>; what: string; fallbackName: string } {
  if ('artifactId' in request) {
    return {
      call: 'evidence.export',
      args: { incidentId: request.incidentId, format: 'custody-html', artifactId: request.artifactId },
      what: 'custody form',
      fallbackName: 'custody-form',
    };
  }
  const what = request.report.kind === 'audit' ? 'audit evidence report' : 'incident report';
  return { call: 'reports.render', args: { incidentId: request.incidentId, kind: request.report.kind, format: 'html' }, what, fallbackName: what.replace(/ /g, '-') };
}

/** The part of the engine's ExportedFile printing uses; anything else from the engine is a bug. */
const exportedForm = z.object({ fileName: z.string(), text: z.string().min(1) });

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

/** What printToPDF is given: backgrounds, and the paper only when the locale names one. */
export interface PrintOptionsLike {
  printBackground: boolean;
  pageSize?: PaperSize;
}

export interface PrintContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  printToPDF(options: PrintOptionsLike): Promise<Uint8Array>;
}

/** The print partition's session: its request filter and permission handlers. */
export interface PrintSessionLike extends SessionLike {
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
  };
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

/** What printing needs from the engine, Electron and the file system. */
export interface PrintPdfHost {
  /** The engine's dispatch, the one the IPC calls go through; `evidence.export` makes the form, `reports.render` a report. */
  dispatch: Dispatch;
  BrowserWindow: new (options: PrintWindowOptions) => PrintWindowLike;
  /** The session of a partition (Electron's `session.fromPartition`); called with printPartition. */
  printSession(partition: string): PrintSessionLike;
  /** The OS locale's two-letter country code (`app.getLocaleCountryCode()`); picks A4 or Letter. */
  localeCountryCode?: () => string;
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
 * Node, in the in-memory print partition. Written out literally, like createSecureWindow in
 * security.ts, for reviewers and scanners.
 */
export function createPrintWindow<W>(BrowserWindow: new (options: PrintWindowOptions) => W): W {
  return new BrowserWindow({
    show: false,
    width: 794,
    height: 1123,
    skipTaskbar: true,
    focusable: false,
    webPreferences: {
      partition: printPartition,
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
 * The page only ever shows the HTML main loaded into it: every navigation of the page or of any
 * frame in it (a meta refresh, a link, an iframe), redirect, webview and new window is refused.
 * Loading by `loadURL` from main is not a navigation these events see.
 */
export function lockPrintContents(contents: PrintContentsLike): void {
  const deny = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-frame-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The print session lets exactly one request through, the data: URL being printed (when Chromium
 * routes it through the filter at all), and cancels every other: no images, style sheets, fonts,
 * frames or links from anywhere, so printing a form never touches the network or the disk. With
 * `allowedUrl` null it cancels everything (between prints). Every permission is refused.
 */
export function lockPrintSession(session: PrintSessionLike, allowedUrl: string | null): void {
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: allowedUrl === null || details.url !== allowedUrl }));
  denyPermissions(session);
}

export type PaperSize = 'A4' | 'Letter';

/** Where the paper is US Letter (CLDR's paperSize data: supplementalData, territory list for US-Letter). */
const letterCountries = new Set(['BZ', 'CA', 'CL', 'CO', 'CR', 'GT', 'MX', 'NI', 'PA', 'PH', 'PR', 'SV', 'US', 'VE']);

/**
 * The paper the OS locale's country uses: Letter in the Americas that use it, A4 everywhere else.
 * Undefined when the country is unknown (Electron answers ''), and printToPDF is then given no
 * page size, which is Electron's default, Letter. The form itself sets no page size (its CSS
 * leaves the paper to the printer and fits the narrower of A4 and Letter).
 */
export function paperSizeFor(countryCode: string | undefined): PaperSize | undefined {
  const code = countryCode?.trim().toUpperCase() ?? '';
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  return letterCountries.has(code) ? 'Letter' : 'A4';
}

/** The name the save dialog proposes: the HTML's own name, without folders, as .pdf. */
export function pdfFileName(fileName: string, fallback = 'custody-form'): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '-')
    .replace(/\.x?html?$/i, '')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 150);
  return `${cleaned || fallback}.pdf`;
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

/**
 * Validates the request, has the engine make the custody form or report, prints it to PDF in a
 * locked-down hidden window, asks where, writes it.
 */
export async function printPdf(host: PrintPdfHost, request: unknown, onError?: (error: unknown) => void): Promise<Result<PrintPdfSaved>> {
  const parsed = printPdfRequest.safeParse(request ?? {});
  if (!parsed.success) return failure('bad_request', `Invalid request to save a PDF: ${describeIssues(parsed.error)}`);
  const document = documentOf(parsed.data);

  // The engine checks the incident and the artifact (and that one belongs to the other) and
  // answers with its usual errors, passed on as they are.
  const exported = await host.dispatch(document.call, document.args);
  if (!exported.ok) return exported;
  const form = exportedForm.safeParse(exported.value);
  if (!form.success) {
    onError?.(new Error(`${document.call} answered something that is not a ${document.what}: ${describeIssues(form.error)}`));
    return failure('internal', `Holdfast could not make the ${document.what}; nothing was saved.`);
  }
  const { text: html, fileName } = form.data;

  const bytes = Buffer.from(html, 'utf8');
  if (bytes.length > maxPrintHtmlBytes) {
    return failure(
      'too_large',
      `The ${document.what} is ${bytes.length} bytes; Holdfast prints at most ${maxPrintHtmlBytes} bytes to PDF. Download the HTML ${document.what} and print it from a browser instead.`,
    );
  }
  const url = `data:text/html;charset=utf-8;base64,${bytes.toString('base64')}`;
  if (url.length > maxUrlChars) return failure('too_large', `The ${document.what} is too large to print to PDF; download the HTML ${document.what} instead.`);

  let pdf: Uint8Array;
  let printWindow: PrintWindowLike | undefined;
  let session: PrintSessionLike | undefined;
  try {
    session = host.printSession(printPartition);
    lockPrintSession(session, url);
    const opened = createPrintWindow(host.BrowserWindow);
    printWindow = opened;
    lockPrintContents(opened.webContents);
    const pageSize = paperSizeFor(host.localeCountryCode?.());
    const options: PrintOptionsLike = pageSize ? { printBackground: true, pageSize } : { printBackground: true };
    const work = (async () => {
      await opened.loadURL(url);
      return opened.webContents.printToPDF(options);
    })();
    pdf = await withTimeout(work, host.timeoutMs ?? printTimeoutMs);
    if (!pdf || pdf.byteLength === 0) throw new Error('the printer returned no pages');
  } catch (error) {
    onError?.(error);
    return failure('internal', `Holdfast could not make the PDF (${reason(error)}); nothing was saved. Try again, or download the HTML ${document.what} and print it.`);
  } finally {
    if (printWindow && !printWindow.isDestroyed()) printWindow.destroy();
    // Between prints the partition lets nothing through at all.
    if (session) lockPrintSession(session, null);
  }

  const name = pdfFileName(fileName, document.fallbackName);
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
