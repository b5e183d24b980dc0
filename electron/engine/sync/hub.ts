// The war-room hub: this replica serves the /v1 sync protocol on the local network, over TLS with a
// certificate made for the hub (./hub-tls), so laptops in the room sync with each other while the
// central service is unreachable. People join with the room's link (address, join code, the
// certificate's fingerprint) and their device certificate (or as guests: ./hub-join). The hub vouches for
// nothing it relays: every op is judged by its own signature and certificate, here with
// replica.applyRemote, and again by the service and every replica it reaches.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HubMember, HubStatus } from '@shared/domain/sync-status';
import { hubLink } from '@shared/hub-link';
import { claimedOpId } from '@shared/ops';
import { commsStream } from '@shared/roles';
import type { DeliveryCoordinator, HubNotice, LiveMessage, Poke, PushResult } from '@shared/sync';
import { pageOf, type SyncBackend } from '@shared/sync-handler';
import { mountSync } from '@shared/node/mount-sync';
import type { DeviceKey } from '../core/device-key';
import type { Replica } from '../core/replica';
import { createJoinGate, type JoinGateStatus } from './hub-code';
import { createJoiner, type Member } from './hub-join';
import { createHubTls, type HubTls } from './hub-tls';

export { uncertifiedHost } from './hub-join';

export interface Hub {
  backend: SyncBackend;
  /** The current join code, in groups of four (it changes: see rotateCode). */
  readonly joinCode: string;
  /** The hub's TLS certificate and key; made when its server starts unless given. */
  tls: HubTls | null;
  clients(): string[];
  /** Who joined: one entry per device, newest session. */
  members(): HubMember[];
  code(): JoinGateStatus;
  /** Replaces the join code (links and codes given out before stop working). */
  rotateCode(reason: string): JoinGateStatus;
  /** Streams changed on this replica: tell connected laptops to pull. */
  poke(streamIds: string[]): void;
  subscribe(listener: (poke: LiveMessage) => void): () => void;
  /** The host reached the central service again: members reconnect to it at once. */
  centralBack?(): void;
  /** Laptops with a live socket open to this hub now (the server counting them sets it). */
  liveMembers?(count?: number): number;
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
  /** The hub's TLS certificate (holdfast web makes it before its server starts). */
  tls?: HubTls;
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
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const gate = createJoinGate({ now, log });
  const sessions = new Map<string, Member & { joinedAt: number }>();
  const pokes = new EventEmitter();
  pokes.setMaxListeners(0);
  let liveMembers = 0;
  const joiner = createJoiner({ replica, deviceKey: options.deviceKey ?? null, gate, now, log, tlsFingerprint: () => hub.tls?.fingerprint ?? null });

  const backend: SyncBackend = {
    node: 'hub',
    // The host's time as corrected against the service: members in the room stamp with the service's time too.
    now: () => replica.clockOffset.time(),
    async challenge() {
      return joiner.challenge();
    },
    async join(request) {
      const joined = joiner.join(request);
      if (!('member' in joined)) return joined;
      // One session per device: joining again (a restart) ends the earlier session.
      for (const [token, member] of sessions) if (member.deviceId === joined.member.deviceId) sessions.delete(token);
      const token = `hub_${randomBytes(24).toString('base64url')}`;
      sessions.set(token, { ...joined.member, joinedAt: now() });
      log(`holdfast: ${joined.member.name} joined the war room from device ${joined.member.deviceId}`);
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

  const hub: Hub = {
    backend,
    get joinCode() {
      return gate.status().code;
    },
    tls: options.tls ?? null,
    clients: () => [...new Set([...sessions.values()].map((p) => p.name))].sort(),
    members: () =>
      [...sessions.values()].map(({ name, certRole, deviceId, joinedAt }) => ({ name, role: certRole, deviceId, joinedAt })).sort((a, b) => a.joinedAt - b.joinedAt),
    code: () => gate.status(),
    rotateCode: (reason) => gate.rotate(reason),
    poke(streamIds) {
      for (const streamId of streamIds) pokes.emit('poke', { streamId } satisfies Poke);
    },
    subscribe(listener) {
      pokes.on('poke', listener);
      return () => pokes.off('poke', listener);
    },
    centralBack() {
      pokes.emit('poke', { centralBack: true } satisfies HubNotice);
    },
    liveMembers(count) {
      if (count !== undefined) liveMembers = count;
      return liveMembers;
    },
  };
  return hub;
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

/** What the host's UI shows of a running hub reached at `urls`: links, code, fingerprint, who joined. */
export function hubStatusOf(hub: Hub, urls: string[]): HubStatus {
  const code = hub.code();
  const fingerprint = hub.tls?.fingerprint ?? null;
  return {
    isRunning: true,
    urls,
    links: fingerprint ? urls.map((url) => hubLink({ url, code: code.code, fingerprint })) : [],
    joinCode: code.code,
    fingerprint,
    codeSince: code.since,
    wrongGuesses: code.wrongGuesses,
    rotatedBecause: code.rotatedBecause,
    clients: hub.clients(),
    members: hub.members(),
    liveMembers: hub.liveMembers?.() ?? 0,
  };
}

/** The TLS server a hub is served on (its certificate made now unless it has one). */
export async function hubServer(hub: Pick<Hub, 'backend' | 'subscribe' | 'tls' | 'liveMembers'>): Promise<FastifyInstance> {
  hub.tls ??= await createHubTls();
  const app = Fastify({ logger: false, https: { cert: hub.tls.certPem, key: hub.tls.keyPem }, forceCloseConnections: true });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  await mountSync(app, hub.backend, { subscribePokes: (listener) => hub.subscribe(listener), onLiveCount: (count) => hub.liveMembers?.(count) });
  return app;
}

/** The desktop app's hub: its own TLS server on every interface. */
export async function startHubServer(hub: Hub, port: number, host = '0.0.0.0'): Promise<RunningHub> {
  const app = await hubServer(hub);
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const hosts = host === '0.0.0.0' ? [...lanAddresses(), '127.0.0.1'] : [host];
  return {
    status: () =>
      hubStatusOf(
        hub,
        hosts.map((h) => `https://${h}:${actualPort}`),
      ),
    close: () => app.close(),
  };
}
