// Mounts the pipeline routes (GET /v1/freeze, POST …/events; docs/pipelines.md) on the service's
// Fastify app, in their own scope with the same rate limit and JSON errors as the sync routes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { installJsonErrors, mountRateLimit } from '@shared/node/http-errors';
import { handlePipeline, pipelineRoutes, type SyncBackend } from '@shared/sync-handler';

/** An event is a few hundred bytes; this leaves room and refuses anything else early. */
export const maxEventBodyBytes = 64 * 1024;

export async function mountPipelineRoutes(
  app: FastifyInstance,
  backend: SyncBackend,
  options: { rateLimitPerMinute?: number; rateLimitKey?: (request: FastifyRequest) => Promise<string> } = {},
): Promise<void> {
  await app.register(async (scope) => {
    await mountRateLimit(scope, { perMinute: options.rateLimitPerMinute, keyOf: options.rateLimitKey });
    installJsonErrors(scope, { tooLargeMessage: `request body is larger than ${maxEventBodyBytes} bytes: an event is a few fields` });
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
