// The desktop shell: starts the engine in its own utility process on the user's data folder, serves
// the UI over app://, hardens the window and forwards the contract's IPC to the engine. Everything
// else lives in electron/engine.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, net, Notification, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { ipcChannels } from '@shared/contract';
import { writePrivateFile } from '@shared/node/private-files';
import { contentSecurityPolicy } from '../engine/hosts/content-security-policy';
import { defaultAutoBackup } from '../engine/engine';
import type { EngineClient } from '../engine/hosts/engine-client';
import { fileSecretStore } from '../engine/core/secrets';
import { registerAppProtocol } from './app-protocol';
import { startEngineProcess } from './engine-process';
import { registerApi } from './ipc';
import { registerPrintPdf } from './print-pdf';
import { keepDownloadsPrivate } from './private-downloads';
import { appOrigin, appScheme, createSecureWindow, denyPermissions, hardenWebContents } from './security';
import { updateReminders } from './update-reminders';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same replica; hand over to the running one instead.
  app.quit();
} else {
  let engine: EngineClient | undefined;
  let mainWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(async () => {
    try {
      const dataDir = app.getPath('userData');
      // Sync tokens are encrypted with the OS keychain when Electron can reach it.
      const cipher = safeStorage.isEncryptionAvailable()
        ? { encrypt: (plain: string) => safeStorage.encryptString(plain), decrypt: (sealed: Buffer) => safeStorage.decryptString(sealed) }
        : undefined;
      engine = await startEngineProcess({
        host: { fork: (path, args, options) => utilityProcess.fork(path, args, options), createChannel: () => new MessageChannelMain() },
        entry: join(import.meta.dirname, 'engine-utility.js'),
        engine: { dataDir, host: 'desktop', autoBackup: defaultAutoBackup },
        secrets: fileSecretStore(dataDir, cipher),
        log: (line) => console.error(line),
        onInternalError: (name, detail) => console.error(`[holdfast] ${name} failed:`, detail),
        onLost: (reason) => {
          // Without its engine the window can do nothing: say so rather than fail every click.
          dialog.showErrorBox('Holdfast stopped', `The Holdfast engine stopped (${reason}). Your data is safe; start Holdfast again.`);
          app.exit(1);
        },
      });
    } catch (error) {
      dialog.showErrorBox('Holdfast cannot open its data', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    const dispatch = engine.dispatch;
    denyPermissions(session.defaultSession);
    keepDownloadsPrivate(session.defaultSession, (error) => console.error('[holdfast] could not make a saved file private:', error));
    registerAppProtocol(protocol, join(import.meta.dirname, '../renderer'), (file) => net.fetch(pathToFileURL(file).toString()), contentSecurityPolicy);
    registerApi({ ipcMain, dispatch, devServerUrl });
    // Save as PDF (the custody form): main exports the form through the same dispatch, a hidden
    // no-JavaScript window in its own in-memory session prints it, the user picks where.
    registerPrintPdf({
      ipcMain,
      devServerUrl,
      host: {
        dispatch,
        BrowserWindow,
        printSession: (partition) => session.fromPartition(partition),
        localeCountryCode: () => app.getLocaleCountryCode(),
        showSaveDialog: (options) => (mainWindow && !mainWindow.isDestroyed() ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
        // Readable by its owner only (0600), like every export.
        writeFile: async (path, data) => writePrivateFile(path, data),
        defaultDirectory: () => app.getPath('documents'),
        joinPath: join,
      },
      onError: (error) => console.error('[holdfast] save as PDF failed:', error),
    });

    mainWindow = createSecureWindow(BrowserWindow, join(import.meta.dirname, '../preload/index.cjs'));
    hardenWebContents(mainWindow.webContents, (url) => void shell.openExternal(url), devServerUrl);
    const window = mainWindow;
    engine.onEvent((event, payload) => {
      if (!window.isDestroyed()) window.webContents.send(ipcChannels.event, event, payload);
    });
    // Stakeholder updates coming due raise a system notification; a click opens the window.
    engine.onEvent(
      updateReminders({
        isSupported: () => Notification.isSupported(),
        createNotification: (options) => new Notification(options),
        focusWindow: () => {
          if (window.isDestroyed()) return;
          if (window.isMinimized()) window.restore();
          window.show();
          window.focus();
        },
      }),
    );
    window.once('ready-to-show', () => window.show());
    void window.loadURL(devServerUrl ?? `${appOrigin}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!engine) return;
    // Let a running backup finish and the database close cleanly before the process ends.
    event.preventDefault();
    const closing = engine;
    engine = undefined;
    void closing.close().finally(() => app.quit());
  });
}
