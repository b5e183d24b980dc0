// One sync peer's loop: push the outbox, pull every stream from its cursor, listen for pokes on
// the live socket, and retry with backoff. Push is idempotent, so any retry is safe. Relaying
// vouches for nothing: everything this replica holds that the peer did not send it is pushed, and
// the peer judges each op by its own signature and certificate. The trust stream goes first both
// ways, so certificates arrive before the ops written under them.
import type { PeerStatus } from '@shared/domain/sync-status';
import { trustStream } from '@shared/entities';
import type { Op } from '@shared/ops';
import { commsStream, type CertRole } from '@shared/roles';
import { maxOpsPerPush, maxSyncBodyBytes, type PullResponse, type PushResponse, type PushResult, type StreamsResponse, type WhoAmI } from '@shared/sync';
import type { StoredOp } from '../core/op-log';
import type { OpResult, Replica } from '../core/replica';
import { isClockAhead } from '@shared/hlc';
import { scopeQueryString, type ScopeSettings } from '@shared/replica-scope';
import { PeerError, request } from './peer-request';
import { backoffCaps, backoffMs, PassTimer, PeerLive, realClock, type LiveClock } from './peer-live';
import type { PeerRow, PeerStore } from './peer-store';

export interface PeerRunnerOptions {
  replica: Replica;
  now: () => number;
  /** Fallback poll when no poke arrives. */
  pollIntervalMs?: number;
  /** Renews this device's certificate when due (towards the service); run at the start of each pass. */
  renew?: () => Promise<void>;
  log?: (line: string) => void;
  /** True while an incident is open here: retries are capped at seconds, not a minute. */
  isUrgent?: () => boolean;
  /** A war-room hub said its host reached the central service again. */
  onCentralBack?: () => void;
  /** This peer answered again after failing (the central service is back). */
  onBack?: () => void;
  /** Timers, time and jitter of the live socket and the pass timer (tests inject their own). */
  clock?: LiveClock;
  heartbeatMs?: number;
  /** The central service only: the replica scope this laptop asks for (shared/replica-scope); absent, every readable stream. */
  scope?: () => ScopeSettings;
  /**
   * After a pass whose push succeeded and every listed stream was pulled: the streams the service
   * listed for the scope (what may be evicted is decided from them).
   */
  onScopedPull?: (listed: ReadonlySet<string>) => void;
  /** A war-room hub only: the listed streams not to pull from it (read once a pass: those this laptop evicted). */
  skipped?: () => ReadonlySet<string>;
}

// Pushes as large as the protocol allows (2000 ops): fewer round trips. Pulled pages of 500: the
// next page is fetched while one is applied, so round trips cost little, and decoding a page's
// JSON is one uninterrupted task that a write typed meanwhile waits behind.
const pushBatch = 2000;
const pullPage = 500;

/** Half the service's body limit: room for JSON overhead around the ops. */
const pushBudgetBytes = maxSyncBodyBytes / 2;

/** The longest prefix of `ops` whose JSON fits in `budget` bytes (at least one op), with each op's JSON (written once, sent as is). */
function withinBytes(ops: StoredOp[], budget: number): { ops: StoredOp[]; json: string[] } {
  let used = 0;
  const json: string[] = [];
  for (let i = 0; i < ops.length; i += 1) {
    const { seq: _seq, ...op } = ops[i];
    const text = JSON.stringify(op);
    used += Buffer.byteLength(text) + 1;
    if (used > budget && i > 0) return { ops: ops.slice(0, i), json };
    json.push(text);
  }
  return { ops, json };
}

/**
 * Marks a request started ahead of need as handled, so its failure is reported where it is
 * awaited rather than as an unhandled rejection if an earlier request fails first.
 */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export class PeerRunner {
  private state: PeerStatus['state'] = 'offline';
  private lastSuccessAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private lastError: string | null = null;
  private failures = 0;
  private role: CertRole | null = null;
  private current: Promise<void> | null = null;
  private isDirty = false;
  private isStopped = false;
  /** Whether refusals an earlier version made for a clock ahead were looked for (once per runner). */
  private isClockChecked = false;
  private unreachableSince: number | null = null;
  private lastHeartbeatAt: number | null = null;
  private hubMembers: number | null = null;
  private readonly timer: PassTimer;
  private readonly live: PeerLive;

  constructor(
    readonly peer: PeerRow,
    private readonly token: string,
    private readonly options: PeerRunnerOptions,
    private readonly store: PeerStore,
    private readonly changed: () => void,
  ) {
    this.timer = new PassTimer(options.clock ?? realClock, () => void this.run());
    this.live = this.makeLive();
  }

  /** The live socket to this peer: pokes and hub notices in, heartbeats, losing and finding the peer. */
  private makeLive(): PeerLive {
    return new PeerLive({
      url: this.peer.url,
      token: this.token,
      clock: this.options.clock,
      heartbeatMs: this.options.heartbeatMs,
      isUrgent: this.options.isUrgent,
      onOpen: () => this.schedule(0, true),
      onMessage: (message) => {
        if (typeof message.members === 'number') {
          this.hubMembers = message.members;
          this.changed();
        }
        if (message.centralBack) this.options.onCentralBack?.();
        // Pokes for several streams arrive together from one push: a short debounce takes them in one pass.
        if (typeof message.streamId === 'string') this.schedule(5);
      },
      onHeard: (at) => {
        this.lastHeartbeatAt = at;
      },
      onLost: (reason) => {
        this.unreachableSince ??= this.options.now();
        if (!this.current) {
          this.state = 'offline';
          this.lastError = reason;
        }
        this.changed();
        this.schedule(0, true);
      },
    });
  }

  start(): void {
    this.live.start();
    this.schedule(0, true);
  }

  stop(): void {
    this.isStopped = true;
    this.timer.cancel();
    this.live.stop();
  }

  /** Sync now: the live socket re-opened at once if it is down, and a pass right away (no back-off). */
  reconnectNow(): void {
    if (this.isStopped) return;
    this.live.reconnectNow();
    this.schedule(0, true);
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
      pending: this.options.replica.opLog.outboxCount(this.peer.id, this.store.pushedSeq(this.peer.id)),
      lastError: this.lastError,
      refused: this.store.refusedCount(this.peer.id),
      clockOffsetMs: this.options.replica.clockOffset.of(this.peer.id),
      waitingRefused: this.store.waitingCount(this.peer.id),
      waitingReasons: this.store.waitingReasons(this.peer.id),
      held: this.options.replica.clockHeldCount(this.peer.id),
      unreachableSince: this.unreachableSince,
      lastHeartbeatAt: this.lastHeartbeatAt,
      ...(this.peer.kind === 'hub' ? { hubMembers: this.hubMembers } : {}),
    };
  }

  /**
   * Runs a sync pass after `delayMs`; a pass asked for while one runs follows it. Requests in a
   * row are debounced but never wait more than ~200 ms in all (peer-live's PassTimer); `isExact`
   * sets the delay outright (a poll, a back-off, "now").
   */
  schedule(delayMs: number, isExact = false): void {
    if (this.isStopped) return;
    if (this.current) {
      this.isDirty = true;
      return;
    }
    if (isExact) this.timer.after(delayMs);
    else this.timer.soon(delayMs);
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
      if (!this.role) {
        // A guest reads a war room like a responder; what it may write is its guest certificate's.
        const isGuest = this.peer.kind === 'hub' && this.options.replica.trust.mode() === 'guest';
        this.role = isGuest ? 'guest' : (await this.call<WhoAmI>('GET', '/v1/me')).body.role;
      }
      // A certificate that cannot be renewed now (the service busy) is tried again next pass.
      await this.options.renew?.().catch((error: unknown) => this.options.log?.(`holdfast: renewing this device's certificate failed: ${String(error)}`));
      // A push that fails must not keep this replica from hearing what others wrote.
      const pushed: { error?: Error } = {};
      await this.push().catch((error: unknown) => (pushed.error = error instanceof Error ? error : new Error(String(error))));
      const listed = await this.pull();
      if (pushed.error) throw pushed.error;
      // Eviction only after a pass that pushed everything it could: what is unacknowledged is known.
      // No pull of this peer runs now: a stream evicted here cannot be half pulled back.
      if (listed && !this.isStopped) this.options.onScopedPull?.(listed);
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
      this.unreachableSince ??= this.lastAttemptAt ?? this.options.now();
      // 1 s, 2 s, 4 s … up to 5 s while an incident is open, a minute otherwise, with jitter so a
      // room of laptops does not retry in step.
      const cap = this.options.isUrgent?.() ? backoffCaps.pass.urgent : backoffCaps.pass.calm;
      this.schedule(backoffMs(this.failures, 1000, cap, (this.options.clock ?? realClock).random), true);
    } else {
      const wasUnreachable = this.unreachableSince !== null;
      this.unreachableSince = null;
      if (wasUnreachable) this.options.onBack?.();
      this.schedule(this.isDirty ? 0 : (this.options.pollIntervalMs ?? 30_000), true);
    }
  }

  /** A request to this peer with this replica's token (outbox coordination uses it). */
  post<T>(path: string, body: unknown) {
    return request<T>(`${this.peer.url}${path}`, { method: 'POST', token: this.token, body }).then((r) => r.body);
  }

  /** `json`: a body already written as JSON (a push batch), sent as is. */
  private async call<T>(method: string, path: string, body?: unknown, json?: string) {
    // Every reply carries the peer's time: a GET (quick, no work to skew it) measures this clock's offset.
    const { clockOffset } = this.options.replica;
    const started = clockOffset.begin();
    const measure = (peerTime: number | null) => method === 'GET' && clockOffset.observe(this.peer.id, this.peer.kind, started, peerTime);
    try {
      const reply = await request<T>(`${this.peer.url}${path}`, { method, token: this.token, body, json });
      measure(reply.peerTime);
      return reply;
    } catch (error) {
      if (error instanceof PeerError) measure(error.peerTime);
      throw error;
    }
  }

  private async push(): Promise<void> {
    const { replica } = this.options;
    const delivered = await this.pushTrustFirst();
    await this.pushWaiting();
    // Two batches in flight: the next one travels while the peer stores the last. The mark only
    // moves past a batch once it and every batch before it are acknowledged; a batch sent again
    // after a failure is answered as duplicates. The mark stops before an op the peer `held` (it
    // could not judge it yet): it stays pending and goes again next pass.
    const inFlight: { ops: Op[]; seqs: number[]; lastSeq: number; response: Promise<{ body: PushResponse }> }[] = [];
    let readUpTo = this.store.pushedSeq(this.peer.id);
    let heldAt: number | null = null;
    for (;;) {
      while (inFlight.length < 2) {
        const batch = withinBytes(replica.opLog.outbox(this.peer.id, readUpTo, pushBatch), pushBudgetBytes);
        if (batch.ops.length === 0) break;
        readUpTo = batch.ops[batch.ops.length - 1].seq;
        // A war-room hub never takes delivery channels (they travel only with the service): not sent, not pending.
        const isSent = batch.ops.map((op) => !delivered.has(op.opId) && !(this.peer.kind === 'hub' && op.streamId === commsStream));
        const unsent = batch.ops.filter((_, i) => isSent[i]);
        if (unsent.length === 0) {
          inFlight.push({ ops: [], seqs: [], lastSeq: readUpTo, response: Promise.resolve({ body: { results: [] } }) });
          continue;
        }
        const json = `{"ops":[${batch.json.filter((_, i) => isSent[i]).join(',')}]}`;
        inFlight.push({
          ops: unsent,
          seqs: unsent.map((op) => op.seq),
          lastSeq: readUpTo,
          response: observed(this.call<PushResponse>('POST', '/v1/sync/push', undefined, json)),
        });
      }
      const next = inFlight.shift();
      if (!next) {
        // Nothing left to send: whatever lies past the mark came from the peer itself (a
        // catch-up). Moving the mark past it keeps the outbox query and the pending count from
        // reading the whole catch-up again on every pass.
        if (heldAt === null && readUpTo === this.store.pushedSeq(this.peer.id)) this.store.setPushedSeq(this.peer.id, replica.opLog.newestSeq());
        return;
      }
      const { body } = await next.response;
      const accepted: string[] = [];
      body.results.forEach((result, i) => {
        // Held for its clock: it waits in its own list (record), and the mark moves on.
        if (result.status === 'held' && !isClockAhead(result.reason)) heldAt = Math.min(heldAt ?? Infinity, next.seqs[i]);
        else if (result.status === 'accepted') accepted.push(next.ops[i].opId);
        else this.record(next.ops[i].opId, result);
      });
      // What record does for an accepted op, for the whole batch at once.
      this.store.clearRefusals(this.peer.id, 'push', accepted);
      this.store.setPushedSeq(this.peer.id, heldAt === null ? next.lastSeq : Math.max(this.store.pushedSeq(this.peer.id), heldAt - 1));
    }
  }

  /** Pushes the trust stream's unsent ops before anything else; returns the opIds the peer now has. */
  private async pushTrustFirst(): Promise<Set<string>> {
    const trust = this.options.replica.opLog.streamOutbox(this.peer.id, trustStream, this.store.pushedSeq(this.peer.id), maxOpsPerPush * 4);
    const delivered = new Set<string>();
    for (let start = 0; start < trust.length; start += maxOpsPerPush) {
      const ops: Op[] = trust.slice(start, start + maxOpsPerPush).map(({ seq: _seq, ...op }) => op);
      const { body } = await this.call<PushResponse>('POST', '/v1/sync/push', { ops });
      body.results.forEach((result, i) => {
        if (result.status === 'held' && !isClockAhead(result.reason)) return;
        delivered.add(ops[i].opId);
        this.record(ops[i].opId, result);
      });
    }
    return delivered;
  }

  /**
   * Keeps what the peer refused (stored but not projected there) or rejected, for the status's
   * count. An op it will not take yet because its stamp is too far ahead is not refused: it waits,
   * queued with the reason, and is sent again each pass until the peer takes it (pushWaiting).
   */
  private record(opId: string, result: PushResult): void {
    if (result.status === 'accepted') this.store.clearRefusals(this.peer.id, 'push', [opId]); // a refusal resolved is no longer shown
    if ((result.status === 'held' || result.status === 'rejected') && isClockAhead(result.reason)) {
      this.store.wait(this.peer.id, opId, result.reason, this.options.now());
      return;
    }
    if (result.status === 'rejected' || result.status === 'refused') this.store.refuse(this.peer.id, opId, 'push', result.reason, this.options.now());
  }

  /** Sends again the ops the peer would not take yet; each it settles (takes, refuses) leaves the waiting list. */
  private async pushWaiting(): Promise<void> {
    const ops = this.store.waitingOps(this.peer.id, maxOpsPerPush);
    if (ops.length === 0) return;
    const { body } = await this.call<PushResponse>('POST', '/v1/sync/push', { ops });
    body.results.forEach((result, i) => {
      const { opId } = ops[i];
      // Held to be judged later (a certificate on its way): still waiting, sent again next pass.
      if (result.status === 'held' && !isClockAhead(result.reason)) return;
      if (!isClockAhead('reason' in result ? result.reason : '')) this.store.unwait(this.peer.id, opId);
      this.record(opId, result);
    });
  }

  /** Pulls every listed stream; returns the listed streams when the list was scoped. */
  private async pull(): Promise<ReadonlySet<string> | null> {
    if (!this.isClockChecked) {
      this.isClockChecked = true;
      const lost = this.store.recoverClockRefusals(this.peer.id);
      if (lost > 0) this.options.log?.(`holdfast: ${lost} ops from ${this.peer.url} were refused for their clock by an earlier version; pulling them again`);
    }
    const scope = this.options.scope?.();
    const { body } = await this.call<StreamsResponse>('GET', `/v1/sync/streams${scope ? `?${scopeQueryString(scope)}` : ''}`);
    // Ops held earlier because their stamp was too far ahead are taken once their time is near
    // (the exchange just now measured this clock against the peer's).
    this.options.replica.retryClockHeld();
    // Certificates and revocations first: the ops of this pass are judged with them.
    const streams = [...body.streams].sort((a, b) => Number(b.streamId === trustStream) - Number(a.streamId === trustStream));
    // A stream pulled from its start is pulled whole, this device's own ops included: one that left
    // this laptop and comes back must not miss them. After that, its own ops are not sent back.
    const page = (streamId: string, after: number, isWhole: boolean) =>
      observed(
        this.call<PullResponse>(
          'GET',
          `/v1/sync/pull?stream=${encodeURIComponent(streamId)}&after=${after}&limit=${pullPage}${isWhole ? '' : `&skipDevice=${this.options.replica.deviceId}`}`,
        ),
      );
    const skipped = this.options.skipped?.() ?? new Set<string>();
    for (const { streamId, head } of streams) {
      const cursor = this.store.cursor(this.peer.id, streamId);
      if (head <= cursor || skipped.has(streamId)) continue;
      const isWhole = cursor === 0;
      // The next page is requested before this one is applied, so the network and the service
      // work while the replica writes.
      let pending: Promise<{ body: PullResponse }> | null = page(streamId, cursor, isWhole);
      while (pending) {
        const current: PullResponse = (await pending).body;
        if (this.isStopped) return null;
        pending = current.hasMore ? page(streamId, current.cursor, isWhole) : null;
        const results = await applyInSlices(this.options.replica, current.ops, this.peer.id);
        if (this.isStopped) return null;
        const now = this.options.now();
        results.forEach((result, i) => {
          if (result.status === 'rejected') this.store.refuse(this.peer.id, current.ops[i]?.opId ?? `#${i}`, 'pull', result.reason, now);
        });
        // Every op of the page is now applied, stored refused, held in a table of the replica (to be
        // judged, or until its clock's time is near) in the same commits, or rejected for good (not
        // what it claims to be, or of a purged incident): the cursor passes no op it could lose.
        this.store.setCursor(this.peer.id, streamId, current.cursor);
      }
    }
    return scope ? new Set(body.streams.map((s) => s.streamId)) : null;
  }
}

/** How long one slice of a pulled page may hold the database's single writer. */
const sliceBudgetMs = 15;

/**
 * Applies a pulled page in short transactions, yielding to the event loop between them, so a local
 * write (a timeline entry typed during a large catch-up) waits for one slice, not the whole page.
 * The slice size follows the measured cost, so a fast disk still commits few transactions. The
 * cursor moves only after the whole page is applied; a page cut short by a crash is applied again
 * and its ops already held are duplicates. The service keeps every pulled op, so these commits
 * need not wait for the disk (`isRefetchable`).
 */
async function applyInSlices(replica: Replica, ops: unknown[], source: string): Promise<OpResult[]> {
  const results: OpResult[] = [];
  let size = 100;
  for (let start = 0; start < ops.length;) {
    const slice = ops.slice(start, start + size);
    const began = performance.now();
    results.push(...replica.applyRemote(slice, source, { isRefetchable: true }));
    const took = performance.now() - began;
    start += slice.length;
    // Towards the size that fits the budget, at most doubling: a slice of cheap ops (duplicates)
    // must not make the next one, of costly ops, many times too long.
    const fitting = Math.round((slice.length * sliceBudgetMs) / Math.max(took, 0.5));
    size = Math.min(size * 2, 5000, Math.max(20, fitting));
    if (start < ops.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return results;
}
