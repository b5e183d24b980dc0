// Requests to a sync peer (the central service or a war-room hub) over HTTP/JSON, with a bearer
// token and a timeout; any failure becomes a PeerError naming the peer and what went wrong.

export class PeerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PeerError';
  }
}

export async function request<T>(url: string, init: { method: string; token?: string; body?: unknown }): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new PeerError(
      0,
      `cannot reach ${new URL(url).origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => null)) as T & { error?: { message?: string } };
  if (!response.ok && !(response.status === 403 && body && 'results' in body)) {
    throw new PeerError(response.status, body?.error?.message ?? `HTTP ${response.status} from ${new URL(url).origin}`);
  }
  return { status: response.status, body };
}
