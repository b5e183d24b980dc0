// One HTTP request to a vendor under a deadline, and what its answer means: 2xx arrived; 408, 429,
// 5xx, a timeout and network failures may succeed later (retryable); other 4xx need a person (a
// wrong key, a bad address, a refused payload). Nothing here throws.

import { httpRequest, type HttpOptions } from '../core/http-request';

/** What a send to a target came to: `detail` is what the vendor said; `remoteId`/`remoteUrl` what it calls the item. */
export type SendResult = { ok: true; detail: string; remoteId?: string; remoteUrl?: string } | { ok: false; error: string; retryable: boolean };

export type { HttpOptions } from '../core/http-request';

export type HttpAnswer = { ok: true; status: number; body: string } | { ok: false; failure: SendResult & { ok: false } };

export const defaultSendTimeoutMs = 15_000;

/** One request to a vendor (core/http-request); a failure that may pass is tried again. */
export function request(url: string, init: { method: string; headers: Record<string, string>; body?: string }, http: HttpOptions): Promise<HttpAnswer> {
  return httpRequest(url, init, http, 'it will be tried again');
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
