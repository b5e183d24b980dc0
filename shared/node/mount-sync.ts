// Mounts a sync backend (central service or war-room hub) on a Fastify app: the /v1 routes,
// WebSocket pokes on /v1/sync/live, body-size and rate limits, and JSON errors throughout.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maxSyncBodyBytes, timeHeader, type LiveMessage } from '../sync';
import { bearerToken, handleSync, pullRefusal, syncRoutes, type SyncBackend } from '../sync-handler';
import { installJsonErrors, mountRateLimit } from './http-errors';
import { createLiveRoom } from './live-room';

export interface SyncRouteOptions {
  /** Requests per minute per token (or per address without one). */
  rateLimitPerMinute?: number;
  /** Registers a listener for pokes (and a hub's notices); returns its unsubscribe. */
  subscribePokes: (listener: (poke: LiveMessage) => void) => () => void;
  /** How many /v1/sync/live sockets are open, whenever that changes (a hub's host shows it). */
  onLiveCount?: (count: number) => void;
  /** The rate limit's key for a request (default: its address). */
  rateLimitKey?: (request: FastifyRequest) => Promise<string>;
  /** Watches an open /v1/sync/live socket's token; `close` ends the socket once the token is revoked. Returns its unwatch. */
  watchLive?: (token: string, close: (code: number, reason: string) => void) => () => void;
  /** This node's clock, sent with every reply (default Date.now). */
  now?: () => number;
}

/**
 * Registers the protocol in its own encapsulated scope, so its rate limit and error handler do not
 * touch the host's other routes. The host must have registered @fastify/websocket.
 */
export async function mountSync(app: FastifyInstance, backend: SyncBackend, options: SyncRouteOptions): Promise<void> {
  await app.register(async (scope) => registerSync(scope, backend, options));
}

async function registerSync(app: FastifyInstance, backend: SyncBackend, options: SyncRouteOptions): Promise<void> {
  await mountRateLimit(app, {
    perMinute: options.rateLimitPerMinute,
    isExempt: (request) => request.url === '/healthz' || request.url === '/readyz',
    keyOf: options.rateLimitKey,
  });
  installJsonErrors(app, { tooLargeMessage: `request body is larger than ${maxSyncBodyBytes} bytes: push fewer ops at a time` });
  // Every reply says what time it is here: each exchange tells a replica its clock's offset.
  const now = options.now ?? (backend.now ? () => backend.now!() : Date.now);
  app.addHook('onSend', async (_request, reply) => void reply.header(timeHeader, String(now())));

  const route = async (request: { method: string; url: string; query: unknown; headers: { authorization?: string }; body: unknown }) =>
    handleSync(backend, {
      method: request.method,
      path: request.url.split('?')[0],
      query: (request.query ?? {}) as Record<string, unknown>,
      authorization: request.headers.authorization,
      body: request.body,
    });

  for (const [method, url] of syncRoutes) {
    app.route({
      method,
      url,
      bodyLimit: maxSyncBodyBytes,
      // Guessing a war room's join code is limited to a few tries a minute per address.
      ...(url === '/v1/hub/join' ? { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } } : {}),
      // A device needs a certificate about once a fortnight; more is a script or a loop.
      ...(url === '/v1/certs' ? { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } } : {}),
      handler: async (request, reply) => {
        const result = await route(request);
        return reply.code(result.status).send(result.body);
      },
    });
  }

  // Live sockets are pinged (a vanished laptop is dropped) and counted; a hub tells its members how many.
  const room = createLiveRoom({ announceMembers: backend.node === 'hub', onCount: options.onLiveCount });
  app.addHook('onClose', async () => room.close());

  app.get('/v1/sync/live', { websocket: true }, async (socket, request) => {
    const token = bearerToken(request.headers.authorization);
    const principal = token ? await backend.authenticate(token) : null;
    if (!principal) {
      socket.close(4401, 'unauthorized');
      return;
    }
    // Pipeline tokens do not sync: they read freezes and post events over plain HTTP.
    if (principal.role === 'pipeline') {
      socket.close(4403, 'pipeline tokens do not sync');
      return;
    }
    // Only streams this principal may pull: a poke for one it may not would only tell it that
    // something it cannot see (delivery channels, say) just changed.
    const unsubscribe = options.subscribePokes((poke) => {
      if (typeof poke.streamId !== 'string' || pullRefusal(backend, principal, poke.streamId) === null) socket.send(JSON.stringify(poke));
    });
    room.add(socket);
    const unwatch = token && options.watchLive ? options.watchLive(token, (code, reason) => socket.close(code, reason)) : () => undefined;
    socket.on('close', () => {
      unsubscribe();
      unwatch();
    });
  });
}
