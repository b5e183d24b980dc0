// Mounts the pipeline routes (GET /v1/freeze, POST …/events; docs/pipelines.md) on the service's
// Fastify app, in their own scope with the same rate limit and JSON errors as the sync routes.
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance } from 'fastify';
import { handlePipeline, pipelineRoutes, type SyncBackend } from '../shared/sync-handler';

/** An event is a few hundred bytes; this leaves room and refuses anything else early. */
export const maxEventBodyBytes = 64 * 1024;

const errorBody = (code: string, message: string) => ({ error: { code, message } });

export async function mountPipelineRoutes(app: FastifyInstance, backend: SyncBackend, options: { rateLimitPerMinute?: number } = {}): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: options.rateLimitPerMinute ?? 1200,
      timeWindow: '1 minute',
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        ...errorBody('rate_limited', `too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
      }),
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode === 429) return reply.code(429).send(errorBody('rate_limited', error.message));
      if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send(errorBody('too_large', `request body is larger than ${maxEventBodyBytes} bytes: an event is a few fields`));
      }
      if (error.statusCode === 415) return reply.code(400).send(errorBody('bad_request', 'send the body as JSON (Content-Type: application/json)'));
      if (error.statusCode !== undefined && error.statusCode < 500) return reply.code(400).send(errorBody('bad_request', `the body is not valid JSON: ${error.message}`));
      request.log.error(error);
      return reply.code(500).send(errorBody('internal', 'the service failed; nothing was stored from this request'));
    });
    for (const [method, url] of pipelineRoutes) {
      scope.route({
        method,
        url,
        bodyLimit: maxEventBodyBytes,
        handler: async (request, reply) => {
          const key = request.headers['idempotency-key'];
          const result = await handlePipeline(backend, {
            method: request.method,
            path: request.url.split('?')[0],
            query: (request.query ?? {}) as Record<string, unknown>,
            authorization: request.headers.authorization,
            body: request.body,
            idempotencyKey: Array.isArray(key) ? key.join(',') : key,
          });
          return reply.code(result.status).send(result.body);
        },
      });
    }
  });
}
