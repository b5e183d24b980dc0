// `holdfast server`: the central sync service on Fastify, over the SQLite or PostgreSQL store.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Poke } from '@shared/sync';
import { createCentralBackend } from './central-backend';
import { mountSync } from '@shared/node/mount-sync';
import { mountPipelineRoutes } from './pipeline-routes';
import { mountInboundWebhooks } from './inbound-webhooks';
import { watchLiveRevocation } from './live-revocation';
import { relayAcrossNodes } from './live-pokes';
import { coalesceReads } from './read-coalescing';
import { rateLimitKeyOf } from './request-limits';
import type { TrustIssuer } from './trust/issue';
import type { PurgedStream, SyncStore } from './storage/sync-store';

export interface ServiceOptions {
  store: SyncStore;
  host?: string;
  port?: number;
  tls?: { certFile: string; keyFile: string };
  /** Requests a minute per token, and per address for requests without a valid token (default 1200). */
  rateLimitPerMinute?: number;
  /** How often open /v1/sync/live sockets are checked for revoked tokens (default 250 ms). */
  liveCheckMs?: number;
  now?: () => number;
  log?: boolean;
  /**
   * Where each purge (an incident's stream deleted for good) is reported, one line each; the
   * request log (when on) otherwise.
   */
  onPurged?: (line: string) => void;
  /** The org key and certificate issuing (server/trust); without it /v1/certs and /v1/trust/root answer 404. */
  trust?: TrustIssuer;
}

export const describePurge = (purge: PurgedStream & { purgedBy: string }): string =>
  `${new Date(purge.recordedAt).toISOString()} purged incident ${purge.incidentId} under the retention setting: ${purge.deletedOps} ops deleted (purge record ${purge.purgeOpId} by ${purge.purgedBy}, purged ${new Date(purge.purgedAt).toISOString()})`;

export const hstsHeader = 'max-age=31536000';

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  // Unsigned ops stored before signing existed are valid only once sealed; every start seals what is not yet.
  await options.trust?.sealLegacy();
  const pokes = new EventEmitter();
  pokes.setMaxListeners(0);
  // Several nodes on one database: a push to any node pokes the laptops of every node.
  const relay = relayAcrossNodes(pokes, options.store.crossNodePokes);
  // Laptops poked together read the same heads and pages: those reads share one query.
  const reads = coalesceReads(options.store, pokes);
  const backend = createCentralBackend({
    store: reads.store,
    now: options.now,
    trust: options.trust,
    onAdvanced: (streamIds) => streamIds.forEach((streamId) => pokes.emit('poke', { streamId } satisfies Poke)),
    onPurged: (purge) => {
      reads.forget(`incident:${purge.incidentId}`);
      (options.onPurged ?? ((line) => app.log.warn(line)))(describePurge(purge));
    },
  });
  const https = options.tls ? { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } : null;
  // The HTTPS and HTTP instances differ only in their server type; the routes are the same.
  const app = (https ? Fastify({ https, logger: options.log ?? false }) : Fastify({ logger: options.log ?? false })) as FastifyInstance;
  // Over TLS, browsers are told to come back only over TLS (a year; the service's own host only).
  if (https) app.addHook('onSend', async (_request, reply) => void reply.header('strict-transport-security', hstsHeader));
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  const rateLimitKey = rateLimitKeyOf(options.store, { now: options.now });
  const live = watchLiveRevocation(options.store, { intervalMs: options.liveCheckMs, onError: (error) => app.log.error(error) });
  app.addHook('onClose', async () => live.stop());
  app.addHook('onClose', async () => relay.stop());
  app.addHook('onClose', async () => reads.stop());
  await mountSync(app, backend, {
    rateLimitPerMinute: options.rateLimitPerMinute,
    rateLimitKey,
    now: options.now,
    watchLive: (token, close) => live.watch(token, close),
    subscribePokes: (listener) => {
      pokes.on('poke', listener);
      return () => pokes.off('poke', listener);
    },
  });
  await mountPipelineRoutes(app, backend, { rateLimitPerMinute: options.rateLimitPerMinute, rateLimitKey });
  await mountInboundWebhooks(app, {
    store: options.store,
    trust: options.trust,
    now: options.now,
    rateLimitPerMinute: options.rateLimitPerMinute,
    rateLimitKey,
    onAdvanced: (ids) => ids.forEach((streamId) => pokes.emit('poke', { streamId } satisfies Poke)),
  });
  await relay.ready;
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => app.close(),
  };
}
