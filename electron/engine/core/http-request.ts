// One outgoing HTTP request under a deadline that covers the answer's body too, for the outbox's
// receivers (stakeholder-update channels, paging, chat and tracker targets). Redirects are not
// followed. Nothing here throws: a timeout or a network failure comes back as a retryable failure
// in words, ending with what happens next (`then`, e.g. "the update will be sent again").

export interface HttpOptions {
  timeoutMs: number;
  fetch: typeof fetch;
}

export type HttpFailure = { ok: false; error: string; retryable: boolean };

export type HttpAnswer = { ok: true; status: number; body: string } | { ok: false; failure: HttpFailure };

export const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

export async function httpRequest(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  http: HttpOptions,
  then: string,
): Promise<HttpAnswer> {
  const where = new URL(url).host;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, http.timeoutMs);
  try {
    const response = await http.fetch(url, { ...init, signal: controller.signal, redirect: 'manual' });
    const body = await response.text();
    return { ok: true, status: response.status, body };
  } catch (error) {
    if (timedOut) {
      return {
        ok: false,
        failure: { ok: false, retryable: true, error: `${where} did not answer within ${seconds(http.timeoutMs)}: it may be overloaded or unreachable; ${then}` },
      };
    }
    return { ok: false, failure: { ok: false, retryable: true, error: `Could not reach ${where}: ${networkReason(error)}; ${then}` } };
  } finally {
    clearTimeout(timer);
  }
}

/** A network failure in words, with its code (ECONNREFUSED…) kept for whoever looks it up. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : null;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there: is the receiver running?)',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name is not known (check the address, or the network is offline)',
    EAI_AGAIN: 'the host name could not be looked up (the network may be offline)',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable (offline?)',
    UND_ERR_SOCKET: 'the connection closed before an answer came',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  const message = typeof cause?.message === 'string' ? cause.message : errorText(error);
  return code ? `${message} (${code})` : message;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
