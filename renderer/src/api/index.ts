// Picks the transport: the desktop preload's `window.holdfast`, or the web bridge in a browser.
import type { TransportApi } from '../../../shared/contract';
import { createClient, type Client } from './client';
import { createWebTransport, takeAccessToken, type BridgeState } from './web-transport';

declare global {
  interface Window {
    holdfast?: TransportApi;
  }
}

export type ConnectTarget =
  | { kind: 'desktop'; client: Client }
  | { kind: 'web'; client: Client }
  | { kind: 'web-no-token' };

export function connect(onBridgeState: (state: BridgeState) => void): ConnectTarget {
  if (window.holdfast) return { kind: 'desktop', client: createClient(window.holdfast) };
  const token = takeAccessToken();
  if (!token) return { kind: 'web-no-token' };
  return { kind: 'web', client: createClient(createWebTransport({ token, onState: onBridgeState })) };
}
