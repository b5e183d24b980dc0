import { describe, expect, it, vi } from 'vitest';
import {
  createSecureWindow,
  denyPermissions,
  hardenWebContents,
  isExternalWebLink,
  type SessionLike,
  type WebContentsLike,
  type WindowOptionsLike,
} from '../../electron/main/security';

class FakeWindow {
  constructor(readonly options: WindowOptionsLike) {}
}

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: (event: { preventDefault(): void }, url?: string) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  } as WebContentsLike;
  const fire = (event: string, url?: string) => {
    const preventDefault = vi.fn();
    listeners.get(event)!({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('window hardening', () => {
  it('creates the window isolated, sandboxed and without Node', () => {
    const window = createSecureWindow(FakeWindow, '/app/out/preload/index.cjs');
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('keeps navigation inside the app', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn());
    expect(fire('will-navigate', 'https://evil.example/login')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'app://holdfast/index.html')).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window and opens only http(s) links in the system browser', () => {
    const openExternal = vi.fn();
    const { contents, open } = fakeContents();
    hardenWebContents(contents, openExternal);
    expect(open('https://status.example.com/')).toEqual({ action: 'deny' });
    expect(open('http://wiki.internal/runbook')).toEqual({ action: 'deny' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ms-msdt:/id', 'not a url']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls).toEqual([['https://status.example.com/'], ['http://wiki.internal/runbook']]);
  });

  it('hands phone and e-mail links to the system dialer or mail client, never navigating to them', () => {
    const openExternal = vi.fn();
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, openExternal);
    expect(fire('will-navigate', 'tel:+14155550123')).toBe(true);
    expect(fire('will-navigate', 'mailto:oncall@example.com')).toBe(true);
    expect(fire('will-navigate', 'smb://share/x')).toBe(true);
    expect(fire('will-redirect', 'tel:+14155550123')).toBe(true);
    expect(openExternal.mock.calls).toEqual([['tel:+14155550123'], ['mailto:oncall@example.com']]);
  });

  it('allows the dev server only when one is configured', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn(), 'http://localhost:5173');
    expect(fire('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(fire('will-navigate', 'http://localhost:8080/')).toBe(true);
  });

  it('denies permission requests and checks', () => {
    let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (handler) => {
        request = handler;
      },
      setPermissionCheckHandler: (handler) => {
        check = handler;
      },
    });
    const callback = vi.fn();
    request!({}, 'media', callback);
    request!({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(check!({}, 'geolocation', 'app://holdfast')).toBe(false);
  });

  it('recognises web links', () => {
    expect(isExternalWebLink('https://example.com')).toBe(true);
    expect(isExternalWebLink('HTTPS://EXAMPLE.COM')).toBe(true);
    expect(isExternalWebLink('mailto:ops@example.com')).toBe(false);
  });
});
