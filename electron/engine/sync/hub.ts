// The war-room hub: this replica serves the /v1 sync protocol on the local network, so laptops in
// the room sync with each other while the central service is unreachable. People join with the
// room's join code and their device certificate (or as guests: ./hub-join). The hub vouches for
// nothing it relays: every op is judged by its own signature and certificate, here with
// replica.applyRemote, and again by the service and every replica it reaches.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HubStatus } from '@shared/domain/sync-status';
import { claimedOpId } from '@shared/ops';
import { commsStream } from '@shared/roles';
import type { DeliveryCoordinator, Poke, PushResult } from '@shared/sync';
import { pageOf, type SyncBackend } from '@shared/sync-handler';
import { mountSync } from '@shared/node/mount-sync';
import type { DeviceKey } from '../core/device-key';
import type { Replica } from '../core/replica';
import { createJoiner, newJoinCode, type Member } from './hub-join';

export { uncertifiedHost } from './hub-join';

export interface Hub {
  backend: SyncBackend;
  joinCode: string;
  clients(): string[];
  /** Streams changed on this replica: tell connected laptops to pull. */
  poke(streamIds: string[]): void;
  subscribe(listener: (poke: Poke) => void): () => void;
}

export interface HubOptions {
  /**
   * Decides which laptop in the room sends a delivery (the engine passes its own). Without one the
   * hub does not coordinate: POST /v1/outbox/claim and /settle answer 404.
   */
  coordinator?: DeliveryCoordinator;
  /** The host's device key: it signs the guest certificates the hub issues (none without it). */
  deviceKey?: DeviceKey | null;
  /** Refused joins are logged here, with who and why. */
  log?: (line: string) => void;
  now?: () => number;
}

// Delivery channels hold addresses, passwords and API keys: they travel only between a laptop and
// the central service, never through a room's hub.
const channelsStayCentral = 'a war-room hub does not share delivery channels: they sync only with the central service';

/** Why a hub serves `streamId` to nobody (null: it serves it); a host in another thread asks this too. */
export function hubStreamRefusal(streamId: string): string | null {
  return streamId === commsStream ? channelsStayCentral : null;
}

export function createHub(replica: Replica, options: HubOptions = {}): Hub {
  const { coordinator } = options;
  const joinCode = newJoinCode();
  const sessions = new Map<string, Member>();
  const pokes = new EventEmitter();
  pokes.setMaxListeners(0);
  const joiner = createJoiner({ replica, deviceKey: options.deviceKey ?? null, joinCode, now: options.now ?? Date.now, log: options.log ?? (() => undefined) });

  const backend: SyncBackend = {
    node: 'hub',
    async challenge() {
      return joiner.challenge();
    },
    async join(request) {
      const joined = joiner.join(request);
      if (!('member' in joined)) return joined;
      // One session per device: joining again (a restart) ends the earlier session.
      for (const [token, member] of sessions) if (member.deviceId === joined.member.deviceId) sessions.delete(token);
      const token = `hub_${randomBytes(24).toString('base64url')}`;
      sessions.set(token, joined.member);
      return { token, ...joined.response };
    },
    async authenticate(token) {
      const member = sessions.get(token);
      return member ? { name: member.name, role: member.role } : null;
    },
    async push(principal, inputs) {
      // Any signed op from any member: it is judged by its own signature and certificate, not by
      // who delivered it. Only delivery channels stay out of the room.
      const accepted: unknown[] = [];
      const positions: number[] = [];
      const results = inputs.map((input, index): PushResult | null => {
        const { streamId } = (input ?? {}) as { streamId?: unknown };
        if (streamId === commsStream) return { opId: claimedOpId(input), status: 'rejected', reason: `forbidden: ${channelsStayCentral}` };
        accepted.push(input);
        positions.push(index);
        return null;
      });
      const applied = replica.applyRemote(accepted, `hub-client:${principal.name}`);
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
