// The engine's side of war-room discovery: a hosted hub is announced while it runs (startAnnouncing
// wraps the hub host), and a laptop lists the rooms it hears and joins one in one click, with the
// join code the host reads out, pinned to the fingerprint the room announced (the join proof names it,
// so a room announced with another machine's certificate cannot pass the proof on to the real hub).
import type { Handlers } from '@shared/contract';
import type { HubStatus, SyncStatus } from '@shared/domain/sync-status';
import { normalizeFingerprint, readableCertFingerprint, isFingerprint } from '@shared/hub-link';
import { ApiError } from '@shared/errors';
import type { HubHost } from '../sync/sync-handlers';
import type { LanDiscovery } from './lan-discovery';

type DiscoveryHandlers = Pick<Handlers, 'hub.nearby' | 'hub.joinNearby'>;

/** The port a running hub listens on, from the addresses its status lists. */
export const portOf = (status: HubStatus): number | null => {
  const url = status.urls[0];
  if (!url) return null;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : null;
};

export interface AnnounceDeps {
  discovery: LanDiscovery;
  deviceId: string;
  /** What the room is for (the newest open incident's title) and who hosts it, read when it starts. */
  title: () => string;
  hostedBy: () => string;
  log: (line: string) => void;
}

/** `hubs`, announcing on the network each hub it starts (or adopts) and withdrawing it when it stops. */
export function startAnnouncing<H extends HubHost & { adopt(hub: never, status: () => HubStatus): void; close(): Promise<void> }>(hubs: H, deps: AnnounceDeps): H {
  const announce = (status: HubStatus) => {
    const port = portOf(status);
    if (!status.isRunning || !status.fingerprint || port === null) return;
    deps.discovery
      .announce({ port, fingerprint: status.fingerprint, title: deps.title(), hostedBy: deps.hostedBy(), deviceId: deps.deviceId })
      .catch((error: unknown) => deps.log(`holdfast: announcing the war room failed: ${String(error)}`));
  };
  const wrapped: H = Object.create(hubs) as H;
  Object.assign(wrapped, {
    async start(port: number) {
      const status = await hubs.start(port);
      announce(status);
      return status;
    },
    async stop() {
      await deps.discovery.unannounce();
      return hubs.stop();
    },
    adopt(hub: never, status: () => HubStatus) {
      hubs.adopt(hub, status);
      // The hub's certificate is set just after it is adopted: announced on the next turn.
      setImmediate(() => announce(status()));
    },
    async close() {
      await deps.discovery.close();
      await hubs.close();
    },
  });
  return wrapped;
}

const pinRefusal = (title: string, announced: string, actual: string) =>
  `The war room announced as "${title}" presented a TLS certificate with fingerprint ${readableCertFingerprint(actual)}, ` +
  `not the ${readableCertFingerprint(announced)} it announced: refusing to join (another machine may be posing as the hub). ` +
  'Ask the host to read out the fingerprint on their screen and type the address instead.';

export function discoveryHandlers(deps: {
  discovery: LanDiscovery;
  join: (invite: { url: string; code: string; fingerprint: string }) => Promise<SyncStatus>;
}): DiscoveryHandlers {
  const { discovery } = deps;
  return {
    'hub.nearby': () => discovery.nearby(),
    'hub.joinNearby': async (request) => {
      const room = discovery.room(request.id);
      if (!room)
        throw new ApiError('not_found', `No war room "${request.id}" is announced near this laptop any more: refresh the list, or type the address the host reads out.`);
      if (request.fingerprint) {
        if (!isFingerprint(request.fingerprint)) throw new ApiError('bad_request', "fingerprint: 64 hex digits, as the host's screen shows under the join code.");
        const typed = normalizeFingerprint(request.fingerprint);
        if (typed !== room.fingerprint) {
          throw new ApiError(
            'forbidden',
            `The fingerprint the host reads out (${readableCertFingerprint(typed)}) is not the one "${room.title}" announced (${readableCertFingerprint(room.fingerprint)}): ` +
              'refusing to join (another machine may be announcing itself as the hub). Type the address the host reads out instead.',
          );
        }
      }
      try {
        return await deps.join({ url: room.url, code: request.code, fingerprint: room.fingerprint });
      } catch (error) {
        const message = (error as Error).message ?? '';
        const actual = /fingerprint ([0-9a-f]{64}), but/.exec(message)?.[1];
        if (actual) throw new ApiError('forbidden', pinRefusal(room.title, room.fingerprint, actual));
        throw error;
      }
    },
  };
}
