// Requests to a sync peer (the central service or a war-room hub) over HTTP/JSON, with a bearer
// token and a timeout; any failure becomes a PeerError naming the peer and what went wrong. A
// war-room hub's address is pinned to its certificate's fingerprint (./pinned-tls).
import { timeHeader } from '@shared/sync';
import { hubPin, PinMismatch, pinnedRequest } from './pinned-tls';

export class PeerError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The peer's clock, when it answered at all (its `x-holdfast-time` header). */
    readonly peerTime: number | null = null,
  ) {
    super(message);
    this.name = 'PeerError';
  }
}

/** `body` is sent as JSON; `json` is a body already written as JSON, sent as is. */
export async function request<T>(
  url: string,
  init: { method: string; token?: string; body?: unknown; json?: string },
): Promise<{ status: number; body: T; peerTime: number | null }> {
  let response: Pick<Response, 'ok' | 'status' | 'json'>;
  let peerTime: number | null;
  const body = init.json ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined);
  const headers = {
    ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  try {
    const pin = hubPin(url);
    if (pin) {
      const reply = await pinnedRequest(url, { method: init.method, headers, body }, pin);
      response = { ok: reply.status >= 200 && reply.status < 300, status: reply.status, json: async () => JSON.parse(reply.text) as unknown };
      peerTime = timeOf(reply.headers?.[timeHeader]);
    } else {
      const fetched = await fetch(url, { method: init.method, headers, body, signal: AbortSignal.timeout(20_000) });
      peerTime = timeOf(fetched.headers.get(timeHeader));
      response = fetched;
    }
  } catch (error) {
    // Not a network failure: the peer answered as someone else (495, as some proxies say it).
    if (error instanceof PinMismatch) throw new PeerError(495, error.message);
    throw new PeerError(
      0,
      `cannot reach ${new URL(url).origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
    );
  }
  const answer = (await response.json().catch(() => null)) as T & { error?: { message?: string } };
  if (!response.ok && !(response.status === 403 && answer && 'results' in answer)) {
    throw new PeerError(response.status, answer?.error?.message ?? `HTTP ${response.status} from ${new URL(url).origin}`, peerTime);
  }
  return { status: response.status, body: answer, peerTime };
}

/** A time header's value in ms, or null when absent or not a number. */
function timeOf(value: string | string[] | null | undefined): number | null {
  const ms = Number(Array.isArray(value) ? value[0] : (value ?? undefined));
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
