// Sync calls: connect to the central service, join or host a war-room hub, and read sync status.
import type { Handlers } from '@shared/contract';
import type { HostingStatus, HubStatus, JoinHubRequest, SyncStatus } from '@shared/domain/sync-status';
import { codeProblem, isFingerprint, normalizeFingerprint, parseHubLink, type HubInvite } from '@shared/hub-link';
import { ApiError } from '@shared/errors';
import type { DeliveryCoordinator } from '@shared/sync';
import { createHub, startHubServer, uncertifiedHost, type Hub, type HubOptions, type RunningHub } from './hub';
import { PeerError, type SyncClient } from './sync-client';
import type { Replica } from '../core/replica';

type SyncHandlers = Pick<
  Handlers,
  | 'sync.status'
  | 'sync.connect'
  | 'sync.join'
  | 'sync.disconnect'
  | 'sync.now'
  | 'sync.scope'
  | 'sync.setScope'
  | 'hub.start'
  | 'hub.stop'
  | 'hub.status'
  | 'hub.rotateCode'
>;

function asApiError(error: unknown, what: string): never {
  if (error instanceof PeerError) {
    if (error.status === 401) throw new ApiError('unauthorized', `${what}: the server refused the credentials (${error.message}).`);
    if (error.status === 0) throw new ApiError('unavailable', `${what}: ${error.message}. Check the address and the network.`);
    if (error.status === 403) throw new ApiError('forbidden', `${what}: ${error.message}`);
    if (error.status === 409) throw new ApiError('conflict', `${what}: ${error.message}`);
    if (error.status === 495) throw new ApiError('forbidden', `${what}: ${error.message}`);
    if (error.status === 429) throw new ApiError('unavailable', `${what}: ${error.message}`);
    throw new ApiError('bad_request', `${what}: ${error.message}`);
  }
  throw error;
}

/** The hub this engine hosts, whether on its own port (desktop) or inside holdfast web --host. */
export interface HubHost {
  current(): { hub: Hub; status: () => HubStatus } | null;
  start(port: number): Promise<HubStatus>;
  stop(): Promise<HubStatus>;
}

export const hubStopped: HubStatus = { isRunning: false, urls: [], links: [], joinCode: null, fingerprint: null, clients: [], members: [] };

/** The address, code and fingerprint a join request gives, or a bad_request saying what to fix. */
export function inviteOf(request: JoinHubRequest): HubInvite {
  if ('link' in request) {
    const invite = parseHubLink(request.link);
    if (typeof invite === 'string') throw new ApiError('bad_request', `link: ${invite}.`);
    return invite;
  }
  const problem = codeProblem(request.code);
  if (problem) throw new ApiError('bad_request', `code: ${problem}.`);
  if (!isFingerprint(request.fingerprint)) throw new ApiError('bad_request', "fingerprint: 64 hex digits, as the host's Settings show under the join code.");
  return { url: request.url, code: request.code, fingerprint: normalizeFingerprint(request.fingerprint) };
}

/**
 * `coordinator`: who decides which replica sends each update, for the hub's members to ask;
 * `options`: the host's device key (it signs guest certificates) and where refused joins are logged.
 */
export function createHubHost(
  replica: Replica,
  coordinator: DeliveryCoordinator,
  options: Pick<HubOptions, 'deviceKey' | 'log'> = {},
): HubHost & { coordinator: DeliveryCoordinator; hubOptions: HubOptions; adopt(hub: Hub, status: () => HubStatus): void; close(): Promise<void> } {
  let running: { hub: Hub; status: () => HubStatus; server: RunningHub | null } | null = null;
  const hubOptions: HubOptions = { coordinator, ...options };
  return {
    coordinator,
    hubOptions,
    current: () => running,
    adopt(hub, status) {
      running = { hub, status, server: null };
    },
    async start(port) {
      if (running) return running.status();
      // The hub checks every member's certificate and every op against the organisation's key:
      // a laptop that has none (never connected) has nothing to check them with.
      if (replica.trust.certificate() === null) throw new ApiError('forbidden', `Cannot host: ${uncertifiedHost}.`);
      const hub = createHub(replica, hubOptions);
      try {
        const server = await startHubServer(hub, port);
        running = { hub, status: () => server.status(), server };
      } catch (error) {
        if ((error as { code?: string }).code === 'EADDRINUSE')
          throw new ApiError('conflict', `Port ${port} is in use on this computer; choose another port for the war room.`);
        throw error;
      }
      return running.status();
    },
    async stop() {
      if (running?.server) await running.server.close();
      if (running && !running.server) throw new ApiError('conflict', 'This war room is hosted by holdfast web --host; stop that process to close it.');
      running = null;
      return hubStopped;
    },
    async close() {
      await running?.server?.close();
      running = null;
    },
  };
}

/** The war room `hubs` hosts, as sync status tells it (null when none runs). */
export function hostingOf(hubs: HubHost): HostingStatus | null {
  const running = hubs.current()?.status();
  if (!running?.isRunning) return null;
  return { members: running.members?.length ?? running.clients.length, liveMembers: running.liveMembers ?? null };
}

/** Sync status with the hosted war room: a host serving the room is not "offline". */
export function withHosting(status: SyncStatus, hubs: HubHost): SyncStatus {
  return { ...status, hosting: hostingOf(hubs) };
}

export function syncHandlers(deps: { client: SyncClient; hubs: HubHost }): SyncHandlers {
  const { client, hubs } = deps;
  return {
    'sync.status': () => withHosting(client.status(), hubs),
    'sync.connect': async (request) => client.connect(request.url, request.token).catch((e) => asApiError(e, `Could not connect to ${request.url}`)),
    'sync.join': async (request) => {
      const invite = inviteOf(request);
      return client.join(invite).catch((e) => asApiError(e, `Could not join the war room at ${invite.url}`));
    },
    'sync.disconnect': (request) => client.disconnect(request.peerId),
    'sync.now': async () => withHosting(await client.syncNow(), hubs),
    'sync.scope': () => client.scope(),
    'sync.setScope': (request) => ({ settings: client.setScope(request), lastEviction: client.scope().lastEviction }),
    'hub.start': (request) => hubs.start(request.port),
    'hub.stop': () => hubs.stop(),
    'hub.status': () => hubs.current()?.status() ?? hubStopped,
    'hub.rotateCode': () => {
      const running = hubs.current();
      if (!running) throw new ApiError('conflict', 'No war room is hosted here: start one first.');
      running.hub.rotateCode('the host asked for a new code');
      return running.status();
    },
  };
}
