// Picks the transport: the desktop preload's `window.holdfast`, or the web bridge in a browser.
import type { DesktopApi, TransportApi } from '@shared/contract';
import { createClient, type Client } from './client';
import { createWebTransport, takeAccessToken, type BridgeState } from './web-transport';

declare global {
  interface Window {
    /** The desktop preload's API; `printPdf` and the like exist only there. */
    holdfast?: TransportApi & Partial<DesktopApi>;
  }
}

/** The desktop shell's extras (Save as PDF), or null in a browser or with an older preload. */
export function desktopApi(): DesktopApi | null {
  const api = window.holdfast;
  return api && typeof api.printPdf === 'function' ? { printPdf: api.printPdf } : null;
}

export type ConnectTarget = { kind: 'desktop'; client: Client } | { kind: 'web'; client: Client } | { kind: 'web-no-token' };

export function connect(onBridgeState: (state: BridgeState) => void): ConnectTarget {
  if (window.holdfast) return { kind: 'desktop', client: createClient(window.holdfast) };
  const token = takeAccessToken();
  if (!token) return { kind: 'web-no-token' };
  return { kind: 'web', client: createClient(createWebTransport({ token, onState: onBridgeState })) };
}
