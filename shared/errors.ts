// The error shape every boundary (IPC, web bridge, CLI) speaks: a stable code and a sentence that
// tells the user what went wrong and what to do.
export const errorCodes = ['bad_request', 'unknown_call', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'too_large', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

/** Thrown by domain code for errors the user can act on; anything else is reported as internal. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && (errorCodes as readonly unknown[]).includes(code);
}

/** The HTTP status each error code travels with over the web bridge and the sync service. */
export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  unknown_call: 404,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  internal: 500,
  unavailable: 503,
};
