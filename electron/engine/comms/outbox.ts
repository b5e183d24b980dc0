// The outbox: sends each published update to each of its channels, from whichever replica is online
// and holds the channels' secrets. Delivery rows are ops, so the queue survives restarts and syncs;
// before sending, a replica claims the delivery at the coordinator (the central service, a hub, or
// itself when it syncs with nobody), so with several replicas online each delivery is sent once.
//
// Where exactly-once ends: a replica that stops after the receiver took an update but before it
// recorded that, sends it again once its lease runs out (itself after a restart, or another
// replica). The repeat carries the same idempotency key (webhook header, e-mail Message-ID), so
// receivers that honour it drop it.
import type { Database } from 'better-sqlite3';
import type { OutboxStatus } from '@shared/domain/comms-api';
import type { ClaimRequest, ClaimResponse, DeliveryCoordinator, SettleRequest } from '@shared/sync';
import { sqliteDeliveryClaims } from '@shared/node/sqlite-claims';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import { systemEntry } from '../incidents/incident-handlers';
import { deliver as deliverToChannel, type DeliverOptions, type DeliveryResult, type OutgoingUpdate } from './channels';
import type { CommsStore, StoredDelivery } from './comms-store';
import type { ChannelConfig } from '@shared/domain/channels';
import { claimRefusal, deliveryHolderName, type ClaimAct } from '@shared/trust/comms-rules';
import type { DeviceKey } from '../core/device-key';
import { claimSigner, createSendCheck, replicaDeliveryFacts } from './delivery-authority';

/** Who coordinates this replica's deliveries, named for people ("the central service (https://…)"). */
export interface CoordinatorChoice {
  label: string;
  coordinator: DeliveryCoordinator;
}

export interface OutboxOptions {
  db: Database;
  replica: Replica;
  comms: CommsStore;
  incidents: IncidentStore;
  now: () => number;
  coordinator: () => CoordinatorChoice;
  /** Told after each pass that wrote something or changed the outbox's status. */
  onChange?: () => void;
  log?: (line: string) => void;
  /** How often the outbox looks for due deliveries without being nudged (default 5 s). */
  intervalMs?: number;
  /** How long a claim lasts (default 2 minutes: well beyond a delivery's timeout). */
  leaseMs?: number;
  /** Waits after the 1st, 2nd… retryable failure (default 30 s, 1, 2, 5, 10, then every 15 minutes). */
  retryDelaysMs?: number[];
  /** Per-delivery timeout (default: the channels' 15 s). */
  timeoutMs?: number;
  /** This device's key: claims and settlements are signed with it (without it they go unsigned and judging coordinators refuse them). */
  deviceKey?: DeviceKey;
  /** More sends that go out through this outbox's passes and coordinator (integrations/integration-outbox.ts). */
  morePass?: (coordinator: DeliveryCoordinator) => Promise<{ wrote: boolean; down: string | null; refused: string | null }>;
  /** Replaces the real channels (tests of the outbox's own rules only). */
  deliver?: (config: ChannelConfig, update: OutgoingUpdate, options: DeliverOptions) => Promise<DeliveryResult>;
}

export interface Outbox {
  /** One pass now (and resolves when it is done); a pass already running is awaited instead. */
  runOnce(): Promise<void>;
  /** Something was queued or synced: look soon. */
  nudge(): void;
  status(): OutboxStatus;
  close(): Promise<void>;
}

const defaultRetryDelaysMs = [30_000, 60_000, 120_000, 300_000, 600_000, 900_000];
/** How long a delivery this replica could not take (another holds it, or it is not here yet) is left alone. */
const passOverMs = 15_000;
/** A claim the coordinator refused (most often: the publication has not reached it yet) is asked again sooner. */
const refusedPassOverMs = 2_000;
/** Receivers' words are kept within what a delivery row holds, so recording a send never fails on them. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Deliveries sent at once: a receiver that hangs until its timeout does not hold up the others. */
const parallelSends = 4;
const batch = 50;

/**
 * A coordinator over this replica's own table: for a replica that syncs with nobody, and its hub.
 * Given the replica, it judges each claim and settlement as the central service does (signed by a
 * certified publisher's device that holds the channel, for a published update).
 */
export function localCoordinator(db: Database, now: () => number, replica?: Replica): DeliveryCoordinator {
  const claims = sqliteDeliveryClaims(db, 'delivery_claims');
  const facts = replicaDeliveryFacts(db);
  const refusal = (act: ClaimAct, proof: Parameters<typeof claimRefusal>[1]) =>
    replica ? claimRefusal(act, proof, { view: replica.trust.view(), now: now(), facts }) : Promise.resolve(null);
  return {
    claim: async (request) => {
      const refused = await refusal({ kind: 'claim', key: request.key, holder: request.holder, leaseMs: request.leaseMs }, request.proof);
      if (refused) return { granted: false, holder: request.holder, leaseUntil: 0, isDone: false, previousHolder: null, refused };
      return claims.claim(request.key, request.holder, request.leaseMs, now());
    },
    settle: async (request) => {
      const refused = await refusal({ kind: 'settle', key: request.key, holder: request.holder, outcome: request.outcome }, request.proof);
      if (refused) return { ok: false, reason: refused };
      return claims.settle(request.key, request.holder, request.outcome, now());
    },
  };
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { replica, comms, incidents, now } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const send = options.deliver ?? deliverToChannel;
  const sendingOnStart = options.db.prepare("SELECT id FROM comms_deliveries WHERE state = 'sending' AND by = ?").pluck();
  // Who this replica writes as now (it changes when the replica is certified as its user).
  const me = () => deliveryHolderName(replica.actorId, replica.deviceId);
  const sign = claimSigner(replica, options.deviceKey, now);
  const sendRefusal = createSendCheck(options.db, replica, incidents);
  /** A claim or settlement request of this device, signed. */
  const claimOf = (key: string): ClaimRequest => {
    const act = { kind: 'claim' as const, key, holder: replica.deviceId, leaseMs };
    const proof = sign(act);
    return { key, holder: replica.deviceId, leaseMs, ...(proof && { proof }) };
  };
  const settleOf = (key: string, outcome: SettleRequest['outcome']): SettleRequest => {
    const proof = sign({ kind: 'settle', key, holder: replica.deviceId, outcome });
    return { key, holder: replica.deviceId, outcome, ...(proof && { proof }) };
  };
  let coordinatorLabel = options.coordinator().label;
  let waiting: string | null = null;
  /** The last claim the coordinator refused in the current pass (shown while deliveries wait). */
  let refusedInPass: string | null = null;
  const takeRefusal = () => {
    const reason = refusedInPass;
    refusedInPass = null;
    return reason;
  };
  let current: Promise<void> | null = null;
  let again = false;
  let isClosed = false;
  let wakeTimer: NodeJS.Timeout | null = null;
  // Deliveries this process left `sending` when it last stopped: retried at once, not after a lease.
  let resumable = new Set(sendingOnStart.all(me()) as string[]);
  // Settles the coordinator has not acknowledged yet (it was unreachable): kept in the replica and
  // retried on later passes, also after a restart.
  const owed = options.db.prepare('SELECT key, holder, outcome FROM outbox_settles');
  const owe = options.db.prepare('INSERT OR REPLACE INTO outbox_settles (key, holder, outcome) VALUES (?, ?, ?)');
  const paid = options.db.prepare('DELETE FROM outbox_settles WHERE key = ?');
  // Deliveries passed over until then: held by another replica, done elsewhere, or not complete here.
  const passedOver = new Map<string, number>();
  const passOver = (rowId: string, forMs = passOverMs) => passedOver.set(rowId, now() + Math.min(forMs, leaseMs));

  const write = (delivery: StoredDelivery, fields: Record<string, unknown>, extra: Parameters<Replica['commitLocal']>[0] = []) => {
    replica.commitLocal([{ entity: 'comms_delivery', rowId: delivery.rowId, fields: { incidentId: delivery.incidentId, ...fields } }, ...extra]);
  };

  const canDeliver = () => comms.channels().some((c) => !c.deleted && c.config !== null);

  const settle = async (coordinator: DeliveryCoordinator, request: SettleRequest) => {
    try {
      const settled = await coordinator.settle(request);
      if (options.db.open) paid.run(request.key);
      if (!settled.ok) options.log?.(`holdfast: outbox: the coordinator did not settle ${request.key}: ${settled.reason}`);
    } catch {
      if (options.db.open) owe.run(request.key, request.holder, request.outcome);
    }
  };

  const deliverOne = async (coordinator: DeliveryCoordinator, row: StoredDelivery): Promise<boolean> => {
    const channel = comms.channel(row.channelId);
    const published = comms.publishedOne(row.incidentId, row.updateId);
    // Without the channel's configuration or the published text this replica cannot send (yet).
    if (!channel?.config || !published) {
      passOver(row.rowId);
      return false;
    }
    // Only an update published by someone allowed to, approved where it must be, goes out.
    const refusal = sendRefusal(published);
    if (refusal) {
      const fresh = comms.delivery(row.rowId);
      if (!fresh || fresh.state === 'failed') return false;
      const error = clip(`Not sent: ${refusal}.`, 2000);
      write(fresh, { state: 'failed', lastError: error, nextAttemptAt: null, by: me() }, [
        systemEntry(row.incidentId, clip(`The ${published.audience} update "${published.title}" was not sent to ${row.channelName}: ${refusal}.`, 4000), now()),
      ]);
      return true;
    }
    let claim: ClaimResponse;
    try {
      claim = await coordinator.claim(claimOf(row.rowId));
    } catch (error) {
      throw new CoordinatorDown((error as Error).message);
    }
    const fresh = comms.delivery(row.rowId);
    if (!claim.granted) {
      // Held by another replica, delivered by one whose record has not arrived yet (its own signed
      // record says so when it comes: the coordinator's word is not a delivery record), or refused
      // (the publication has not reached the coordinator yet): left alone for a while.
      if (claim.refused) options.log?.(`holdfast: outbox: the coordinator refused the claim: ${claim.refused}`);
      if (claim.refused) refusedInPass = claim.refused;
      passOver(row.rowId, claim.refused ? refusedPassOverMs : undefined);
      return false;
    }
    if (!fresh || fresh.state === 'delivered' || fresh.state === 'failed') {
      await settle(coordinator, settleOf(row.rowId, fresh?.state === 'delivered' ? 'delivered' : 'released'));
      return false;
    }
    if (channel.deleted || !channel.isEnabled) {
      const error = `The channel ${channel.name} was ${channel.deleted ? 'removed' : 'disabled'} before this update reached it; ${channel.deleted ? 'copy the update out by hand' : 'enable it in Settings and retry'}.`;
      write(fresh, { state: 'failed', lastError: error, nextAttemptAt: null, by: me() });
      await settle(coordinator, settleOf(row.rowId, 'released'));
      return true;
    }
    const attempts = fresh.attempts + 1;
    write(fresh, { state: 'sending', attempts, by: me(), nextAttemptAt: null });
    const incident = incidents.get(row.incidentId);
    const result = await send(
      channel.config,
      {
        updateId: row.updateId,
        incidentId: row.incidentId,
        audience: published.audience,
        title: published.title,
        body: published.body,
        publishedAt: published.publishedAt,
        ...(incident ? { status: incident.status } : {}),
      },
      options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
    );
    const after = comms.delivery(row.rowId) ?? fresh;
    const resent = claim.previousHolder ? ' (sent again: the replica sending it before stopped mid-delivery)' : '';
    if (result.ok) {
      // Settled as delivered even if recording it fails: the receiver has the update.
      try {
        write(after, {
          state: 'delivered',
          deliveredAt: now(),
          detail: clip(`${result.detail}${resent}`, 2000),
          remoteId: result.remoteId ? clip(result.remoteId, 200) : null,
          lastError: '',
          by: me(),
        });
      } finally {
        await settle(coordinator, settleOf(row.rowId, 'delivered'));
      }
    } else if (result.retryable) {
      const wait = delays[Math.min(attempts - 1, delays.length - 1)];
      write(after, { state: 'retrying', lastError: clip(result.error, 2000), nextAttemptAt: now() + wait, by: me() });
      await settle(coordinator, settleOf(row.rowId, 'released'));
    } else {
      write(after, { state: 'failed', lastError: clip(result.error, 2000), nextAttemptAt: null, by: me() }, [
        systemEntry(
          row.incidentId,
          clip(`The ${published.audience} update "${published.title}" could not be delivered to ${row.channelName}: ${result.error}`, 4000),
          now(),
        ),
      ]);
      await settle(coordinator, settleOf(row.rowId, 'released'));
    }
    return true;
  };

  const pass = async () => {
    const choice = options.coordinator();
    const before = `${coordinatorLabel}\n${waiting}`;
    coordinatorLabel = choice.label;
    const { coordinator } = choice;
    for (const request of owed.all() as SettleRequest[]) await settle(coordinator, settleOf(request.key, request.outcome));
    const at = now();
    for (const [rowId, until] of passedOver) if (until <= at) passedOver.delete(rowId);
    // Rows passed over are left out, so the ones behind them get their turn.
    const due = comms
      .dueDeliveries(at, at - leaseMs, batch + passedOver.size)
      .filter((row) => !passedOver.has(row.rowId))
      .slice(0, batch);
    for (const rowId of resumable) {
      const row = comms.delivery(rowId);
      if (row?.state === 'sending' && !due.some((d) => d.rowId === rowId)) due.push(row);
    }
    resumable = new Set();
    let wrote = false;
    let down: string | null = null;
    for (let i = 0; i < due.length && down === null; i += parallelSends) {
      const results = await Promise.allSettled(due.slice(i, i + parallelSends).map((row) => deliverOne(coordinator, row)));
      for (const result of results) {
        if (result.status === 'fulfilled') wrote ||= result.value;
        else if (result.reason instanceof CoordinatorDown) down = result.reason.message;
        else options.log?.(`holdfast: outbox: ${String(result.reason)}`);
      }
    }
    if (down === null && options.morePass) {
      const more = await options.morePass(coordinator);
      wrote ||= more.wrote;
      down = more.down;
      refusedInPass ??= more.refused;
    }
    const refused = takeRefusal();
    waiting = down
      ? `Deliveries wait: ${coordinatorLabel} cannot be reached to make sure only one replica sends each update (${down}).`
      : refused
        ? `Deliveries wait: ${coordinatorLabel} did not let this replica send (${refused}).`
        : null;
    if (wrote || before !== `${coordinatorLabel}\n${waiting}`) options.onChange?.();
    // A full batch that moved may have more behind it; one that did not waits for the interval.
    if (due.length >= batch && down === null && wrote) again = true;
  };

  const runOnce = (): Promise<void> => {
    if (isClosed) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = pass()
      .catch((error: unknown) => options.log?.(`holdfast: outbox pass failed: ${String(error)}`))
      .finally(() => {
        current = null;
        if (again && !isClosed) {
          again = false;
          schedule(0);
        } else scheduleRetryWake();
      });
    return current;
  };

  const schedule = (delayMs: number) => {
    if (isClosed) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      void runOnce();
    }, delayMs);
    wakeTimer.unref();
  };

  // Wake when the earliest retry falls due, or on the interval, whichever comes first.
  const interval = options.intervalMs ?? 5_000;
  const scheduleRetryWake = () => {
    const next = comms.nextRetryAt(now());
    schedule(Math.max(0, Math.min(interval, next === null ? interval : next - now())));
  };

  schedule(0);

  return {
    runOnce,
    nudge: () => schedule(20),
    status: () => ({ coordinator: options.coordinator().label, waiting, canDeliver: canDeliver() }),
    async close() {
      isClosed = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      await current;
    },
  };
}

class CoordinatorDown extends Error {
  override name = 'CoordinatorDown';
}
