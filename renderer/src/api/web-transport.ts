// The contract over `holdfast web`'s bridge: one POST per call with this run's access token, and a
// WebSocket for events that reconnects with backoff and reports its state.
import { transportCalls, type EventName, type Events, type TransportApi } from '@shared/contract';
import { isApiErrorBody, type Result } from '@shared/errors';

export type BridgeState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export interface WebTransportOptions {
  token: string;
  onState: (state: BridgeState) => void;
  /** Same origin unless tests say otherwise. */
  baseUrl?: string;
}

export function createWebTransport({ token, onState, baseUrl = '' }: WebTransportOptions): TransportApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const post = async (name: string, request: unknown): Promise<Result<unknown>> => {
    let response: globalThis.Response;
    try {
      response = await fetch(`${baseUrl}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request ?? {}),
      });
    } catch {
      return {
        ok: false,
        error: { code: 'unavailable', message: 'Holdfast web is not reachable. Is `holdfast web` still running?' },
      };
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 401 && response.headers.get('www-authenticate')?.includes('holdfast-web')) onState('unauthorized');
    if (typeof body === 'object' && body !== null && 'ok' in body) {
      const envelope = body as { ok: unknown; value?: unknown; error?: unknown };
      if (envelope.ok === true) return { ok: true, value: envelope.value };
      if (isApiErrorBody(envelope.error)) return { ok: false, error: envelope.error };
    }
    return { ok: false, error: { code: 'internal', message: `Unexpected answer from Holdfast web (HTTP ${response.status}).` } };
  };

  let retryDelay = 500;
  const connect = () => {
    const wsBase = (baseUrl || location.origin).replace(/^http/, 'ws');
    const socket = new WebSocket(`${wsBase}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      retryDelay = 500;
      onState('connected');
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      listeners.get(event)?.forEach((listener) => listener(payload as never));
    };
    socket.onclose = (closed) => {
      if (closed.code === 4401) {
        onState('unauthorized');
        return;
      }
      onState('reconnecting');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 10_000);
    };
  };
  onState('connecting');
  connect();

  return {
    ...transportCalls(post),
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener);
      };
    },
  };
}

/** The access token `holdfast web` put in the URL fragment; kept for this tab, removed from the URL. */
export function takeAccessToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('holdfast.token', match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return sessionStorage.getItem('holdfast.token');
}
