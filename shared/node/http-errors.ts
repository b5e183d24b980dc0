// The JSON error handling and rate limit every Holdfast HTTP surface mounts (the central service's
// sync and pipeline routes, a war-room hub, the web bridge), so a refusal reads the same everywhere.
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

type ErrorCode = 'rate_limited' | 'too_large' | 'bad_request' | 'internal';
const statusOf: Record<ErrorCode, number> = { rate_limited: 429, too_large: 413, bad_request: 400, internal: 500 };

/** The service's error body; the web bridge wraps the same pair in its own envelope. */
export const serviceErrorBody = (code: string, message: string) => ({ error: { code, message } });

export interface JsonErrorOptions {
  /** What a client should do when its body is over the route's limit. */
  tooLargeMessage: string;
  /** What the client is told when a handler throws: nothing was stored or changed. */
  internalMessage?: string;
  /** Shapes the body of an error response (default: the service's `{error: {code, message}}`). */
  body?: (code: ErrorCode, message: string) => unknown;
  /** Where unexpected failures are logged (default: the request's logger). */
  log?: (error: FastifyError, request: FastifyRequest) => void;
}

/** Maps Fastify's own failures (bad JSON, wrong content type, too large, rate limited) to JSON errors. */
export function installJsonErrors(scope: FastifyInstance, options: JsonErrorOptions): void {
  const body = options.body ?? serviceErrorBody;
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (code: ErrorCode, message: string) => reply.code(statusOf[code]).send(body(code, message));
    if (error.statusCode === 429) return send('rate_limited', error.message);
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send('too_large', options.tooLargeMessage);
    if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send('bad_request', 'send the body as JSON (Content-Type: application/json)');
    if (error.statusCode !== undefined && error.statusCode < 500) return send('bad_request', `the body is not valid JSON: ${error.message}`);
    if (options.log) options.log(error, request);
    else request.log.error(error);
    return send('internal', options.internalMessage ?? 'the service failed; nothing was stored from this request');
  });
}

/**
 * A request limit for one scope, per address unless the host gives `keyOf`. Never key on the raw
 * bearer string: made-up tokens would each get a fresh allowance. The central service keys on the
 * token once it has checked it, and on the address otherwise (server/request-limits.ts).
 */
export async function mountRateLimit(
  scope: FastifyInstance,
  options: { perMinute?: number; isExempt?: (request: FastifyRequest) => boolean; keyOf?: (request: FastifyRequest) => Promise<string> },
): Promise<void> {
  await scope.register(rateLimit, {
    max: options.perMinute ?? 1200,
    timeWindow: '1 minute',
    keyGenerator: options.keyOf ?? ((request) => request.ip),
    ...(options.isExempt ? { allowList: options.isExempt } : {}),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      ...serviceErrorBody('rate_limited', `too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
    }),
  });
}
