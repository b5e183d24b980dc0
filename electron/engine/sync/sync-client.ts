// The engine's sync client: for each configured peer (the central service, or a war-room hub) it
// runs a PeerRunner (push the outbox, pull every stream, listen for pokes, retry with backoff),
// keeps the peers' tokens in the secret store and reports how sync stands.
import type { SyncStatus } from '@shared/domain/sync-status';
import type { HubInvite } from '@shared/hub-link';
import type { ClaimResponse, DeliveryCoordinator, SettleResponse, WhoAmI } from '@shared/sync';
import { loadOrCreateDeviceKey, type DeviceKey } from '../core/device-key';
import type { Replica } from '../core/replica';
import type { SecretStore } from '../core/secrets';
import { orgKeyToPin, pullTrustStream, renewIfDue, requestCertificate, trustRoot } from './certify';
import { joinHub } from './hub-member';
import { PeerError, request } from './peer-request';
import { networkSignature, watchNetwork } from './network-watch';
import type { LiveClock } from './peer-live';
import { PeerRunner } from './peer-runner';
import { pinHub } from './pinned-tls';
import { createPeerStore, type PeerRow } from './peer-store';
import { evictOutOfScope, readEvicted, readScope, writeScope } from './replica-scope';
import { evictionTime, type EvictionReport, type ReplicaScopeView, type ScopeSettings } from '@shared/replica-scope';
import type { Database } from 'better-sqlite3';

export { PeerError } from './peer-request';

export interface SyncClientOptions {
  db: Database;
  replica: Replica;
  secrets: SecretStore;
  now: () => number;
  onStatus: (status: SyncStatus) => void;
  /** Fallback poll when no poke arrives. */
  pollIntervalMs?: number;
  log?: (line: string) => void;
  /** This device's signing key (default: the one in `secrets`, as the replica signs with). */
  deviceKey?: DeviceKey;
  /** The central service answered again after failing: a hub hosted here tells its members. */
  onServiceBack?: () => void;
  /** Timers and jitter of the live sockets and pass timers (tests inject their own). */
  clock?: LiveClock;
  heartbeatMs?: number;
  /** What identifies the network this machine is on now (default: its interfaces' addresses). */
  networkSignature?: () => string;
  /** How often the network is checked for a change (default 2 s; 0: never). */
  networkPollMs?: number;
}

const tokenKey = (peerId: string) => `sync-token:${peerId}`;
/** The fingerprint of a war-room hub's certificate, pinned when this laptop joined it. */
const pinKey = (peerId: string) => `sync-pin:${peerId}`;

export interface SyncClient {
  status(): SyncStatus;
  connect(url: string, token: string): Promise<SyncStatus>;
  /** Joins a war room: `invite` is what its link carries (address, code, certificate fingerprint). */
  join(invite: HubInvite): Promise<SyncStatus>;
  disconnect(peerId: string): SyncStatus;
  /** Something changed locally: push soon. */
  nudge(): void;
  syncNow(): Promise<SyncStatus>;
  /**
   * The local op-log position up to which at least one peer holds our writes, or null when no peer
   * is configured (nothing is waiting to sync then, it is a replica on its own).
   */
  acknowledgedSeq(): number | null;
  /**
   * The peer that coordinates outbox deliveries: the central service when one is configured, else
   * a war-room hub; null when this replica syncs with nobody.
   */
  coordinatorPeer(): { kind: 'central' | 'hub'; url: string; coordinator: DeliveryCoordinator } | null;
  /** Which incidents this laptop holds (shared/replica-scope), and what the last eviction did. */
  scope(): ReplicaScopeView;
  /** Changes the scope; the next pass with the service pulls what came into it and evicts what left. */
  setScope(settings: ScopeSettings): ScopeSettings;
  close(): void;
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const store = createPeerStore(options.db);
  let lastEviction: EvictionReport | null = null;
  const runners = new Map<string, PeerRunner>();
  const { replica } = options;
  let deviceKey = options.deviceKey ?? null;
  const key = () => (deviceKey ??= loadOrCreateDeviceKey(options.secrets, replica.deviceId));

  let version = 0;
  const status = (): SyncStatus => {
    const peers = [...runners.values()].map((runner) => runner.status());
    const state =
      peers.length === 0 ? 'not-configured' : peers.some((p) => p.state === 'syncing') ? 'syncing' : peers.some((p) => p.state === 'connected') ? 'connected' : 'offline';
    version += 1;
    return { state, peers, version };
  };
  let announceTimer: NodeJS.Timeout | null = null;
  const changed = () => {
    // Coalesce bursts of changes into one status event.
    if (announceTimer) return;
    announceTimer = setTimeout(() => {
      announceTimer = null;
      options.onStatus(status());
    }, 20);
    announceTimer.unref();
  };

  // While an incident is open here, a peer that fails is retried within seconds, not a minute.
  const openIncident = options.db.prepare("SELECT 1 FROM incidents WHERE deleted = 0 AND status NOT IN ('resolved', 'closed') LIMIT 1").pluck();
  const isUrgent = () => {
    try {
      return openIncident.get() !== undefined;
    } catch {
      return false;
    }
  };
  /** Reconnects every peer at once (Sync now, a network change); `kind`: only those peers. */
  const reconnectAll = (kind?: PeerRow['kind']) => {
    for (const runner of runners.values()) if (!kind || runner.peer.kind === kind) runner.reconnectNow();
  };
  const network = watchNetwork({
    signature: options.networkSignature ?? networkSignature,
    intervalMs: options.networkPollMs ?? 2000,
    onChange: () => {
      options.log?.('holdfast: the network changed; reconnecting to sync peers');
      reconnectAll();
    },
  });

  const startRunner = (peer: PeerRow) => {
    let token: string | null = null;
    try {
      token = options.secrets.get(tokenKey(peer.id));
    } catch (error) {
      options.log?.(`holdfast: the token for ${peer.url} cannot be read (${(error as Error).message}); connect again in Settings`);
    }
    if (!token) {
      options.log?.(`holdfast: no token stored for sync peer ${peer.url}; connect again in Settings`);
      return;
    }
    if (peer.kind === 'hub') {
      const pin = options.secrets.get(pinKey(peer.id));
      if (!pin) {
        options.log?.(`holdfast: no certificate fingerprint stored for the war room at ${peer.url}; join it again with its link`);
        return;
      }
      pinHub(peer.url, pin);
    }
    runners.get(peer.id)?.stop();
    // Towards the service the certificate is renewed on a pass once a third of its life has gone.
    const renew =
      peer.kind === 'central'
        ? () => renewIfDue({ url: peer.url, token, replica, deviceKey: key(), user: peer.userName, now: options.now }).then(() => undefined)
        : undefined;
    const runner = new PeerRunner(
      peer,
      token,
      {
        replica,
        now: options.now,
        pollIntervalMs: options.pollIntervalMs,
        log: options.log,
        renew,
        isUrgent,
        clock: options.clock,
        heartbeatMs: options.heartbeatMs,
        // A war room's host reached the service again: so can this laptop, probably; try now.
        onCentralBack: () => reconnectAll('central'),
        onBack: peer.kind === 'central' ? () => options.onServiceBack?.() : undefined,
        // Towards the service the laptop holds its scope only; a war room serves what its host holds.
        ...(peer.kind === 'central' && {
          scope: () => readScope(options.db),
          onScopedPull: (listed: ReadonlySet<string>) => {
            const now = evictionTime(options.now(), replica.clockOffset.time());
            lastEviction = evictOutOfScope({ replica, db: options.db, store, settings: readScope(options.db), now, log: options.log }, peer.id, listed);
          },
        }),
        // What this laptop evicted is not pulled back from a war room (docs/replica-scope.md); one held here again is.
        ...(peer.kind === 'hub' && {
          skipped: () => new Set([...readEvicted(options.db)].filter((streamId) => replica.opLog.streamSince(streamId, 0, 1).length === 0)),
        }),
      },
      store,
      changed,
    );
    runners.set(peer.id, runner);
    runner.start();
  };

  store.list().forEach(startRunner);

  const add = (peer: PeerRow, token: string) => {
    // Another server (or another hub) under the same peer id: its cursors and marks mean nothing here.
    const known = store.list().find((p) => p.id === peer.id);
    if (known && known.url !== peer.url) {
      runners.get(peer.id)?.stop();
      runners.delete(peer.id);
      store.remove(peer.id);
    }
    options.secrets.set(tokenKey(peer.id), token);
    store.add(peer, options.now());
    startRunner(peer);
  };

  return {
    status,
    async connect(url, token) {
      const me = (await request<WhoAmI>(`${url}/v1/me`, { method: 'GET', token })).body;
      if (me.node !== 'central') throw new PeerError(400, `${url} is a war-room hub; join it with its join code instead`);
      const root = await trustRoot(url);
      const orgKey = orgKeyToPin(replica, root, url);
      // What was written here before connecting (under the computer's login name) becomes this user's.
      const previous = replica.actorId;
      const aliases = previous !== me.name && !previous.startsWith('guest:') ? [previous] : [];
      const reply = await requestCertificate({ url, token, replica, deviceKey: key(), orgKeyId: root.orgKeyId, user: me.name, aliases, now: options.now });
      const certificate = replica.trust.pinAndAdopt(orgKey, reply.certificate, reply.orgKeys);
      await pullTrustStream(url, token, replica, 'central');
      add({ id: 'central', kind: 'central', url, userName: certificate.body.user }, token);
      replica.setActor(certificate.body.user);
      return status();
    },
    async join({ url, code, fingerprint }) {
      const peerId = `hub:${new URL(url).host}`;
      // Every request to the hub, the join first, goes only to the certificate the link names.
      pinHub(url, fingerprint);
      const joined = await joinHub(url, code, replica, key(), peerId);
      options.secrets.set(pinKey(peerId), fingerprint);
      add({ id: peerId, kind: 'hub', url, userName: joined.name }, joined.token);
      return status();
    },
    disconnect(peerId) {
      runners.get(peerId)?.stop();
      runners.delete(peerId);
      store.remove(peerId);
      options.secrets.set(tokenKey(peerId), null);
      if (peerId.startsWith('hub:')) options.secrets.set(pinKey(peerId), null);
      return status();
    },
    nudge() {
      // A short debounce gathers the writes of one moment; a sustained burst still syncs every ~200 ms (PassTimer).
      for (const runner of runners.values()) runner.schedule(5);
    },
    async syncNow() {
      // Sockets that are down are re-opened at once, and a pass runs now whatever the back-off said.
      reconnectAll();
      await Promise.all([...runners.values()].map((runner) => runner.run()));
      return status();
    },
    acknowledgedSeq() {
      const peers = store.list();
      return peers.length === 0 ? null : Math.max(...peers.map((peer) => store.pushedSeq(peer.id)));
    },
    coordinatorPeer() {
      const all = [...runners.values()];
      const runner = all.find((r) => r.peer.kind === 'central') ?? all.find((r) => r.peer.kind === 'hub');
      if (!runner) {
        // A configured peer whose token is missing still coordinates: nobody else may decide alone.
        const peer = store.list().sort((a, b) => Number(b.kind === 'central') - Number(a.kind === 'central'))[0];
        if (!peer) return null;
        const missing = async (): Promise<never> => {
          throw new PeerError(0, `no token is stored for ${peer.url}; connect again in Settings`);
        };
        return { kind: peer.kind, url: peer.url, coordinator: { claim: missing, settle: missing } };
      }
      return {
        kind: runner.peer.kind,
        url: runner.peer.url,
        coordinator: {
          claim: (request) => runner.post<ClaimResponse>('/v1/outbox/claim', request),
          settle: async (request) => {
            try {
              return await runner.post<SettleResponse>('/v1/outbox/settle', request);
            } catch (error) {
              // A refusal (not the holder) is an answer; only an unreachable peer is retried.
              if (error instanceof PeerError && error.status === 409) return { ok: false, reason: error.message };
              throw error;
            }
          },
        },
      };
    },
    scope: () => ({ settings: readScope(options.db), lastEviction }),
    setScope(settings) {
      const written = writeScope(options.db, settings);
      for (const runner of runners.values()) if (runner.peer.kind === 'central') runner.schedule(0, true);
      return written;
    },
    close() {
      network.stop();
      if (announceTimer) clearTimeout(announceTimer);
      for (const runner of runners.values()) runner.stop();
      runners.clear();
    },
  };
}
