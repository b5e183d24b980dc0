// Every window-hardening rule of the desktop app in one place (DESIGN.md, "Security baseline").
// Written against small interfaces so the rules are unit-tested without Electron.

/** The app's own origin: the renderer is served from app://holdfast/, never from file://. */
export const appScheme = 'app';
export const appHost = 'holdfast';
export const appOrigin = `${appScheme}://${appHost}`;

export interface WindowOptionsLike {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: Record<string, unknown>;
}

/**
 * Creates the app window with the locked-down web preferences. The options are written out here,
 * literally, so reviewers and static checkers read them in one place.
 */
export function createSecureWindow<W>(BrowserWindow: new (options: WindowOptionsLike) => W, preloadPath: string): W {
  return new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Holdfast',
    backgroundColor: '#0e1116',
    webPreferences: {
      preload: preloadPath,
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
      // Middle-click would try to open links in new windows; the open handler denies them, and this stops the attempt.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** An origin the UI may be loaded from: the app protocol, or the dev server in development. */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${appScheme}:` && parsed.host === appHost) return true;
  if (devServerUrl) {
    try {
      return parsed.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/** Links the user clicked may open in the system browser only when they are plain web links. */
export function isExternalWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Phone and e-mail links (the people directory's click-to-call) go to the system's dialer or mail
 * client; the page itself never navigates to them.
 */
export function isContactLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'tel:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
}

/**
 * Denies navigation away from the app, new windows and webviews. A link the user opens in a new
 * window goes to the system browser when it is http(s), a tel: or mailto: link to the system's
 * dialer or mail client; nothing else leaves the app.
 */
export function hardenWebContents(contents: WebContentsLike, openExternal: (url: string) => void, devServerUrl?: string): void {
  const keepInApp = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => {
    keepInApp(event, url);
    if (isContactLink(url)) openExternal(url);
  });
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url) || isContactLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Camera, microphone, notifications prompts, geolocation…: all refused unless a feature asks here. */
export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
