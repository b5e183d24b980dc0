// The engine's sync client: for each configured peer (the central service, or a war-room hub) it
// pushes the outbox (local ops the peer has not acknowledged), pulls every stream from its cursor,
// listens for pokes, and retries with backoff. Push is idempotent, so any retry is safe.
import WebSocket from 'ws';
import type { PeerStatus, SyncStatus } from '../../../shared/domain/sync-status';
import type { Op } from '../../../shared/ops';
import { relayRoles, type Role } from '../../../shared/roles';
import { maxSyncBodyBytes, type ClaimResponse, type DeliveryCoordinator, type SettleResponse, type JoinResponse, type PullResponse, type PushResponse, type StreamsResponse, type WhoAmI } from '../../../shared/sync';
import type { Replica } from '../core/replica';
import type { SecretStore } from '../core/secrets';
import { createPeerStore, type PeerRow, type PeerStore } from './peer-store';
import type { Database } from 'better-sqlite3';

export class PeerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PeerError';
  }
}

export interface SyncClientOptions {
  db: Database;
  replica: Replica;
  secrets: SecretStore;
  now: () => number;
  onStatus: (status: SyncStatus) => void;
  /** Fallback poll when no poke arrives. */
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

const tokenKey = (peerId: string) => `sync-token:${peerId}`;
// As large as the protocol allows (2000 ops, 5000 per page): fewer round trips and transactions.
const pushBatch = 2000;
const pullPage = 5000;

async function request<T>(url: string, init: { method: string; token?: string; body?: unknown }): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new PeerError(0, `cannot reach ${new URL(url).origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as T & { error?: { message?: string } };
  if (!response.ok && !(response.status === 403 && body && 'results' in body)) {
    throw new PeerError(response.status, body?.error?.message ?? `HTTP ${response.status} from ${new URL(url).origin}`);
  }
  return { status: response.status, body };
}

/** Half the service's body limit: room for JSON overhead around the ops. */
const pushBudgetBytes = maxSyncBodyBytes / 2;

/** The longest prefix of `ops` whose JSON fits in `budget` bytes (at least one op). */
function withinBytes<T extends Op>(ops: T[], budget: number): T[] {
  let used = 0;
  for (let i = 0; i < ops.length; i += 1) {
    used += Buffer.byteLength(JSON.stringify(ops[i])) + 1;
    if (used > budget && i > 0) return ops.slice(0, i);
  }
  return ops;
}

/**
 * Marks a request started ahead of need as handled, so its failure is reported where it is
 * awaited rather than as an unhandled rejection if an earlier request fails first.
 */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

class PeerRunner {
  private state: PeerStatus['state'] = 'offline';
  private lastSuccessAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private lastError: string | null = null;
  private failures = 0;
  private role: Role | null = null;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private isDirty = false;
  private isStopped = false;
  private socket: WebSocket | null = null;
  private socketRetry: NodeJS.Timeout | null = null;

  constructor(
    readonly peer: PeerRow,
    private readonly token: string,
    private readonly options: SyncClientOptions,
    private readonly store: PeerStore,
    private readonly changed: () => void,
  ) {}

  start(): void {
    this.openSocket();
    this.schedule(0);
  }

  stop(): void {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.socketRetry) clearTimeout(this.socketRetry);
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.terminate();
  }

  /**
   * Only relaying roles push ops from other devices to the service; everyone else, and everyone
   * towards a war-room hub (which takes only its members' own writing), pushes what was written
   * on this device, including before it was connected.
   */
  private onlyDevice(): string | null {
    const canRelay = this.peer.kind === 'central' && this.role !== null && relayRoles.includes(this.role);
    return canRelay ? null : this.options.replica.deviceId;
  }

  status(): PeerStatus {
    return {
      id: this.peer.id,
      kind: this.peer.kind,
      url: this.peer.url,
      userName: this.peer.userName,
      role: this.role,
      state: this.state,
      lastSuccessAt: this.lastSuccessAt,
      lastAttemptAt: this.lastAttemptAt,
      pending: this.options.replica.opLog.outboxCount(this.peer.id, this.store.pushedSeq(this.peer.id), this.onlyDevice()),
      lastError: this.lastError,
      refused: this.store.refusedCount(this.peer.id),
    };
  }

  /** Runs a sync pass after `delayMs`; a pass asked for while one runs follows it. */
  schedule(delayMs: number): void {
    if (this.isStopped) return;
    if (this.current) {
      this.isDirty = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  /** One sync pass; while a pass runs, callers wait for it (and a follow-up pass is queued). */
  run(): Promise<void> {
    if (this.isStopped) return Promise.resolve();
    if (this.current) {
      this.isDirty = true;
      return this.current;
    }
    this.current = this.pass().finally(() => {
      this.current = null;
      this.scheduleNext();
    });
    return this.current;
  }

  private async pass(): Promise<void> {
    this.isDirty = false;
    this.lastAttemptAt = this.options.now();
    this.state = 'syncing';
    this.changed();
    try {
      if (!this.role) this.role = (await this.call<WhoAmI>('GET', '/v1/me')).body.role;
      // A push that fails must not keep this replica from hearing what others wrote.
      let pushError: unknown = null;
      if (this.role !== 'viewer') await this.push().catch((error: unknown) => (pushError = error));
      await this.pull();
      if (pushError) throw pushError;
      this.failures = 0;
      this.lastError = null;
      this.lastSuccessAt = this.options.now();
      this.state = 'connected';
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.state = 'offline';
    } finally {
      this.changed();
    }
  }

  private scheduleNext(): void {
    if (this.isStopped) return;
    if (this.failures > 0) {
      // 1 s, 2 s, 4 s … up to a minute, with jitter so a room of laptops does not retry in step.
      const base = Math.min(60_000, 1000 * 2 ** Math.min(this.failures - 1, 6));
      this.schedule(base / 2 + Math.random() * (base / 2));
    } else {
      this.schedule(this.isDirty ? 0 : (this.options.pollIntervalMs ?? 30_000));
    }
  }

  /** The role the peer gave this user, once it has said. */
  roleOnPeer(): Role | null {
    return this.role;
  }

  /** A request to this peer with this replica's token (outbox coordination uses it). */
  post<T>(path: string, body: unknown) {
    return request<T>(`${this.peer.url}${path}`, { method: 'POST', token: this.token, body }).then((r) => r.body);
  }

  private call<T>(method: string, path: string, body?: unknown) {
    return request<T>(`${this.peer.url}${path}`, { method, token: this.token, body });
  }

  private async push(): Promise<void> {
    const { replica } = this.options;
    const onlyDevice = this.onlyDevice();
    // Two batches in flight: the next one travels while the service stores the last. The mark
    // only moves past a batch once it and every batch before it are acknowledged; a batch sent
    // again after a failure is answered as duplicates.
    const inFlight: { ops: Op[]; lastSeq: number; response: Promise<{ body: PushResponse }> }[] = [];
    let readUpTo = this.store.pushedSeq(this.peer.id);
    for (;;) {
      while (inFlight.length < 2) {
        const batch = withinBytes(replica.opLog.outbox(this.peer.id, readUpTo, pushBatch, onlyDevice), pushBudgetBytes);
        if (batch.length === 0) break;
        const ops: Op[] = batch.map(({ seq: _seq, ...op }) => op);
        readUpTo = batch[batch.length - 1].seq;
        inFlight.push({ ops, lastSeq: readUpTo, response: observed(this.call<PushResponse>('POST', '/v1/sync/push', { ops })) });
      }
      const next = inFlight.shift();
      if (!next) return;
      const { body } = await next.response;
      const now = this.options.now();
      body.results.forEach((result, i) => {
        if (result.status === 'rejected') this.store.refuse(this.peer.id, next.ops[i].opId, 'push', result.reason, now);
      });
      this.store.setPushedSeq(this.peer.id, next.lastSeq);
    }
  }

  private async pull(): Promise<void> {
    const { body } = await this.call<StreamsResponse>('GET', '/v1/sync/streams');
    const page = (streamId: string, after: number) =>
      observed(this.call<PullResponse>(
        'GET',
        `/v1/sync/pull?stream=${encodeURIComponent(streamId)}&after=${after}&limit=${pullPage}&skipDevice=${this.options.replica.deviceId}`,
      ));
    for (const { streamId, head } of body.streams) {
      const cursor = this.store.cursor(this.peer.id, streamId);
      if (head <= cursor) continue;
      // The next page is requested before this one is applied, so the network and the service
      // work while the replica writes.
      let pending: Promise<{ body: PullResponse }> | null = page(streamId, cursor);
      while (pending) {
        const current: PullResponse = (await pending).body;
        if (this.isStopped) return;
        pending = current.hasMore ? page(streamId, current.cursor) : null;
        const results = this.options.replica.applyRemote(current.ops, this.peer.id);
        const now = this.options.now();
        results.forEach((result, i) => {
          if (result.status === 'rejected') this.store.refuse(this.peer.id, current.ops[i]?.opId ?? `#${i}`, 'pull', result.reason, now);
        });
        this.store.setCursor(this.peer.id, streamId, current.cursor);
      }
    }
  }

  private openSocket(): void {
    if (this.isStopped) return;
    const url = `${this.peer.url.replace(/^http/, 'ws')}/v1/sync/live`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` } });
    this.socket = socket;
    socket.on('message', () => this.schedule(50));
    socket.on('open', () => this.schedule(0));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.isStopped) return;
      this.socketRetry = setTimeout(() => this.openSocket(), Math.min(60_000, 2000 * 2 ** Math.min(this.failures, 5)));
      this.socketRetry.unref();
    });
  }
}

export interface SyncClient {
  status(): SyncStatus;
  connect(url: string, token: string): Promise<SyncStatus>;
  join(url: string, code: string): Promise<SyncStatus>;
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
  /** This user's role at the central service, once it has said; null without one. */
  centralRole(): Role | null;
  close(): void;
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const store = createPeerStore(options.db);
  const runners = new Map<string, PeerRunner>();

  let version = 0;
  const status = (): SyncStatus => {
    const peers = [...runners.values()].map((runner) => runner.status());
    const state =
      peers.length === 0
        ? 'not-configured'
        : peers.some((p) => p.state === 'syncing')
          ? 'syncing'
          : peers.some((p) => p.state === 'connected')
            ? 'connected'
            : 'offline';
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
    runners.get(peer.id)?.stop();
    const runner = new PeerRunner(peer, token, options, store, changed);
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
      const previous = options.replica.actorId;
      if (previous !== me.name) {
        // What was written here before connecting (under the computer's login name) becomes this user's.
        await request(`${url}/v1/me/aliases`, { method: 'POST', token, body: { deviceId: options.replica.deviceId, alias: previous } });
      }
      add({ id: 'central', kind: 'central', url, userName: me.name }, token);
      options.replica.setActor(me.name);
      return status();
    },
    async join(url, code) {
      const joined = (await request<JoinResponse>(`${url}/v1/hub/join`, { method: 'POST', body: { code, name: options.replica.actorId } })).body;
      add({ id: `hub:${new URL(url).host}`, kind: 'hub', url, userName: joined.name }, joined.token);
      return status();
    },
    disconnect(peerId) {
      runners.get(peerId)?.stop();
      runners.delete(peerId);
      store.remove(peerId);
      options.secrets.set(tokenKey(peerId), null);
      return status();
    },
    nudge() {
      for (const runner of runners.values()) runner.schedule(50);
    },
    async syncNow() {
      await Promise.all([...runners.values()].map((runner) => runner.run()));
      return status();
    },
    acknowledgedSeq() {
      const peers = store.list();
      return peers.length === 0 ? null : Math.max(...peers.map((peer) => store.pushedSeq(peer.id)));
    },
    centralRole() {
      return [...runners.values()].find((runner) => runner.peer.kind === 'central')?.roleOnPeer() ?? null;
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
    close() {
      if (announceTimer) clearTimeout(announceTimer);
      for (const runner of runners.values()) runner.stop();
      runners.clear();
    },
  };
}
