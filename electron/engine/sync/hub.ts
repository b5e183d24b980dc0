// The war-room hub: this replica serves the /v1 sync protocol on the local network, so laptops in
// the room sync with each other while the central service is unreachable. People join with the
// room's join code; the hub trusts them to write as themselves and its own sync client relays
// everything to the central service, which checks every op against its user directory again.
import { randomBytes, randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HubStatus } from '@shared/domain/sync-status';
import { claimedOpId } from '@shared/ops';
import { commsStream } from '@shared/roles';
import type { DeliveryCoordinator, Poke, PushResult } from '@shared/sync';
import { pageOf, type Principal, type SyncBackend } from '@shared/sync-handler';
import { mountSync } from '@shared/node/mount-sync';
import type { Replica } from '../core/replica';

export interface Hub {
  backend: SyncBackend;
  joinCode: string;
  clients(): string[];
  /** Streams changed on this replica: tell connected laptops to pull. */
  poke(streamIds: string[]): void;
  subscribe(listener: (poke: Poke) => void): () => void;
}

/** Six digits in two groups, easy to read out across a room. */
function newJoinCode(): string {
  return `${randomInt(0, 1000).toString().padStart(3, '0')}-${randomInt(0, 1000).toString().padStart(3, '0')}`;
}

export interface HubOptions {
  /**
   * Decides which laptop in the room sends a delivery (the engine passes its own). Without one the
   * hub does not coordinate: POST /v1/outbox/claim and /settle answer 404.
   */
  coordinator?: DeliveryCoordinator;
}

// Delivery channels hold addresses, passwords and API keys, and a hub lets in anyone with the join
// code as a commander: they travel only between a laptop and the central service, which checks
// each person's role.
const channelsStayCentral = 'a war-room hub does not share delivery channels: they sync only with the central service';
// A purge deletes an incident for good, on the hub and on every laptop that pulls from it, and the
// hub cannot check who may purge (everyone who joins writes as a commander): purges reach the room
// only from the central service, which checks the purger's role. A hub relays them downstream.
const purgesComeFromCentral = 'a war-room hub does not accept purges: purge from a replica connected to the central service, which checks who may purge';

/** Why a hub serves `streamId` to nobody (null: it serves it); a host in another thread asks this too. */
export function hubStreamRefusal(streamId: string): string | null {
  return streamId === commsStream ? channelsStayCentral : null;
}

export function createHub(replica: Replica, options: HubOptions = {}): Hub {
  const { coordinator } = options;
  const joinCode = newJoinCode();
  const sessions = new Map<string, Principal>();
  const pokes = new EventEmitter();
  pokes.setMaxListeners(0);

  const backend: SyncBackend = {
    node: 'hub',
    async join(code, name) {
      if (code.replace(/\s/g, '') !== joinCode) return null;
      // One laptop per name: a second join under a name already in the room is refused.
      if ([...sessions.values()].some((p) => p.name === name) || name === replica.actorId) {
        return `${name} is already in this war room; if that is you on another laptop, ask the host to restart hosting`;
      }
      const token = `hub_${randomBytes(24).toString('base64url')}`;
      sessions.set(token, { name, role: 'commander' });
      return { token, name };
    },
    async authenticate(token) {
      return sessions.get(token) ?? null;
    },
    async push(principal, inputs) {
      const own: unknown[] = [];
      const positions: number[] = [];
      const results = inputs.map((input, index): PushResult | null => {
        const { actorId: actor, streamId, entity } = (input ?? {}) as { actorId?: unknown; streamId?: unknown; entity?: unknown };
        const opId = claimedOpId(input);
        if (actor !== principal.name) return { opId, status: 'rejected', reason: `forbidden: a hub accepts only ops written by ${principal.name}` };
        if (streamId === commsStream) return { opId, status: 'rejected', reason: `forbidden: ${channelsStayCentral}` };
        if (entity === 'purge_record') return { opId, status: 'rejected', reason: `forbidden: ${purgesComeFromCentral}` };
        own.push(input);
        positions.push(index);
        return null;
      });
      const applied = replica.applyRemote(own, `hub-client:${principal.name}`);
      applied.forEach((result, i) => {
        results[positions[i]] = result;
      });
      return results.map((r) => r!);
    },
    async pull(_principal, streamId, after, limit, skipDevice) {
      return pageOf(replica.opLog.streamSince(streamId, after, limit + 1), after, limit, skipDevice);
    },
    async streams() {
      return replica.opLog.streamHeads().filter((stream) => stream.streamId !== commsStream);
    },
    streamRefusal: (_principal, streamId) => hubStreamRefusal(streamId),
    ...(coordinator
      ? {
          claimDelivery: (_principal, request) => coordinator.claim(request),
          settleDelivery: (_principal, request) => coordinator.settle(request),
        }
      : {}),
    async ready() {
      return true;
    },
  };

  return {
    backend,
    joinCode,
    clients: () => [...new Set([...sessions.values()].map((p) => p.name))].sort(),
    poke(streamIds) {
      for (const streamId of streamIds) pokes.emit('poke', { streamId } satisfies Poke);
    },
    subscribe(listener) {
      pokes.on('poke', listener);
      return () => pokes.off('poke', listener);
    },
  };
}

/** Addresses on this machine's network interfaces that other laptops can use. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => Boolean(a && !a.internal && a.family === 'IPv4'))
    .map((a) => a.address);
}

export interface RunningHub {
  status(): HubStatus;
  close(): Promise<void>;
}

/** The desktop app's hub: its own HTTP server on every interface. */
export async function startHubServer(hub: Hub, port: number, host = '0.0.0.0'): Promise<RunningHub> {
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  await mountSync(app, hub.backend, { subscribePokes: (listener) => hub.subscribe(listener) });
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const hosts = host === '0.0.0.0' ? [...lanAddresses(), '127.0.0.1'] : [host];
  return {
    status: () => ({ isRunning: true, urls: hosts.map((h) => `http://${h}:${actualPort}`), joinCode: hub.joinCode, clients: hub.clients() }),
    close: () => app.close(),
  };
}
