// One HTTP request to a vendor under a deadline, and what its answer means: 2xx arrived; 408, 429,
// 5xx, a timeout and network failures may succeed later (retryable); other 4xx need a person (a
// wrong key, a bad address, a refused payload). Nothing here throws.

/** What a send to a target came to: `detail` is what the vendor said; `remoteId`/`remoteUrl` what it calls the item. */
export type SendResult = { ok: true; detail: string; remoteId?: string; remoteUrl?: string } | { ok: false; error: string; retryable: boolean };

export interface HttpOptions {
  timeoutMs: number;
  fetch: typeof fetch;
}

export type HttpAnswer = { ok: true; status: number; body: string } | { ok: false; failure: SendResult & { ok: false } };

export const defaultSendTimeoutMs = 15_000;

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** One request; the deadline covers the answer's body too. Redirects are not followed. */
export async function request(url: string, init: { method: string; headers: Record<string, string>; body?: string }, http: HttpOptions): Promise<HttpAnswer> {
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
        failure: {
          ok: false,
          retryable: true,
          error: `${where} did not answer within ${seconds(http.timeoutMs)}: it may be overloaded or unreachable; it will be tried again`,
        },
      };
    }
    return { ok: false, failure: { ok: false, retryable: true, error: `Could not reach ${where}: ${networkReason(error)}; it will be tried again` } };
  } finally {
    clearTimeout(timer);
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name is not known (check the address, or the network is offline)',
    EAI_AGAIN: 'the host name could not be looked up (the network may be offline)',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable (offline?)',
    UND_ERR_SOCKET: 'the connection closed before an answer came',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

/** At most 200 characters of an answer, on one line, for error messages. */
export function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty answer)';
  return line.length > 200 ? `"${line.slice(0, 200)}…"` : `"${line}"`;
}

export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** A non-2xx answer in words: retryable for 408, 429 and 5xx; `hint` says what a person should fix otherwise. */
export function httpFailure(where: string, status: number, body: string, hint?: string): SendResult & { ok: false } {
  const retryable = isRetryableStatus(status);
  const advice = retryable
    ? 'it will be tried again'
    : status >= 300 && status < 400
      ? 'the address redirects: configure the final address'
      : status === 401 || status === 403
        ? (hint ?? 'check the key or token of the integration target')
        : (hint ?? 'check the integration target configuration');
  return { ok: false, retryable, error: `${where} answered HTTP ${status}: ${excerpt(body)}; ${advice}` };
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** The JSON of an answer, or null. */
export function jsonOf(body: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
