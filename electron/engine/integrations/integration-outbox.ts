// Integration sends go out through the outbox (comms/outbox.ts): each of its passes, after the
// stakeholder updates, asks the same coordinator to claim each due send (key incidentId/sendId/
// targetId), sends it from this replica when it holds the target's secret, records what came of it
// and settles the claim, so with several replicas online each send goes out once. Retryable
// failures wait with back-off; the others show their error, and paging failures land on the timeline.
import type { Database } from 'better-sqlite3';
import type { ClaimRequest, DeliveryCoordinator, SettleRequest } from '@shared/sync';
import { deliveryHolderName } from '@shared/trust/comms-rules';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import type { DeviceKey } from '../core/device-key';
import type { IncidentStore } from '../incidents/incident-store';
import { systemEntry } from '../incidents/incident-handlers';
import { claimSigner } from '../comms/delivery-authority';
import type { SendResult } from './http';
import type { IntegrationStore, StoredSend } from './integration-store';
import { sendToTarget, type OutgoingSend, type SendOptions } from './vendors';
import { reachedStates, type TargetConfig } from '@shared/domain/integrations';
import { queueMirrorPosts } from './mirror';
import { isResolveSend, queueResolveSends } from './resolves';

export interface IntegrationPassOptions {
  db: Database;
  replica: Replica;
  store: IntegrationStore;
  incidents: IncidentStore;
  now: () => number;
  leaseMs?: number;
  retryDelaysMs?: number[];
  timeoutMs?: number;
  deviceKey?: DeviceKey;
  log?: (line: string) => void;
  /** Replaces the real vendors (tests of the pass's own rules only). */
  send?: (config: TargetConfig, send: OutgoingSend, options: SendOptions) => Promise<SendResult>;
}

export interface IntegrationPassResult {
  wrote: boolean;
  /** The coordinator could not be reached (sends wait). */
  down: string | null;
  refused: string | null;
}

const defaultRetryDelaysMs = [30_000, 60_000, 120_000, 300_000, 600_000, 900_000];
const passOverMs = 15_000;
const batch = 50;
const parallelSends = 4;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

class CoordinatorDown extends Error {}

export function createIntegrationPass(options: IntegrationPassOptions) {
  const { replica, store, incidents, now } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const send = options.send ?? sendToTarget;
  const sign = claimSigner(replica, options.deviceKey, now);
  const me = () => deliveryHolderName(replica.actorId, replica.deviceId);
  const owe = options.db.prepare('INSERT OR REPLACE INTO outbox_settles (key, holder, outcome) VALUES (?, ?, ?)');
  const paid = options.db.prepare('DELETE FROM outbox_settles WHERE key = ?');
  const passedOver = new Map<string, number>();
  const passOver = (rowId: string, forMs = passOverMs) => passedOver.set(rowId, now() + Math.min(forMs, leaseMs));
  let refusedInPass: string | null = null;

  const claimOf = (key: string): ClaimRequest => {
    const proof = sign({ kind: 'claim', key, holder: replica.deviceId, leaseMs });
    return { key, holder: replica.deviceId, leaseMs, ...(proof && { proof }) };
  };
  const settleOf = (key: string, outcome: SettleRequest['outcome']): SettleRequest => {
    const proof = sign({ kind: 'settle', key, holder: replica.deviceId, outcome });
    return { key, holder: replica.deviceId, outcome, ...(proof && { proof }) };
  };
  const settle = async (coordinator: DeliveryCoordinator, request: SettleRequest) => {
    try {
      const settled = await coordinator.settle(request);
      if (options.db.open) paid.run(request.key);
      if (!settled.ok) options.log?.(`holdfast: integrations: the coordinator did not settle ${request.key}: ${settled.reason}`);
    } catch {
      // Owed: the outbox settles it on a later pass (outbox_settles), also after a restart.
      if (options.db.open) owe.run(request.key, request.holder, request.outcome);
    }
  };
  const write = (row: StoredSend, fields: Record<string, unknown>, extra: OpDraft[] = []) =>
    replica.commitLocal([{ entity: 'integration_send', rowId: row.rowId, fields: { incidentId: row.incidentId, ...fields } }, ...extra]);

  /** The tracker item an earlier send of the same action item created, to update rather than file again. */
  const remoteOf = (row: StoredSend): string | null => {
    if (row.purpose !== 'track' || !row.sourceId) return null;
    const earlier = store.sendsOf(row.sourceId, row.targetId).filter((s) => s.rowId !== row.rowId && s.state === 'delivered' && s.remoteId);
    return earlier.at(-1)?.remoteId ?? null;
  };
  /** An earlier send of the same action item to the same tracker that has not settled: this one waits for it. */
  const waitsForEarlier = (row: StoredSend) =>
    row.purpose === 'track' &&
    row.sourceId !== null &&
    store.sendsOf(row.sourceId, row.targetId).some((s) => s.rowId !== row.rowId && s.requestedAt <= row.requestedAt && !['delivered', 'failed'].includes(s.state));

  const sendOne = async (coordinator: DeliveryCoordinator, row: StoredSend): Promise<boolean> => {
    const target = store.target(row.targetId);
    if (!target?.config || waitsForEarlier(row)) {
      passOver(row.rowId);
      return false;
    }
    let claim;
    try {
      claim = await coordinator.claim(claimOf(row.rowId));
    } catch (error) {
      throw new CoordinatorDown((error as Error).message);
    }
    const fresh = store.send(row.rowId);
    if (!claim.granted) {
      if (claim.refused) {
        options.log?.(`holdfast: integrations: the coordinator refused the claim: ${claim.refused}`);
        refusedInPass = claim.refused;
      }
      passOver(row.rowId, claim.refused ? 2_000 : undefined);
      return false;
    }
    if (!fresh || fresh.state === 'failed' || reachedStates.includes(fresh.state)) {
      await settle(coordinator, settleOf(row.rowId, fresh && reachedStates.includes(fresh.state) ? 'delivered' : 'released'));
      return false;
    }
    if (target.deleted || !target.isEnabled) {
      write(fresh, {
        state: 'failed',
        lastError: `The target ${target.name} was ${target.deleted ? 'removed' : 'disabled'} before this reached it; ${target.deleted ? 'choose another target' : 'enable it in Settings › Integrations and retry'}.`,
        nextAttemptAt: null,
        by: me(),
      });
      await settle(coordinator, settleOf(row.rowId, 'released'));
      return true;
    }
    const attempts = fresh.attempts + 1;
    write(fresh, { state: 'sending', attempts, by: me(), nextAttemptAt: null });
    const incident = incidents.get(row.incidentId);
    const result = await send(
      target.config,
      {
        rowId: row.rowId,
        incidentId: row.incidentId,
        incidentTitle: incident?.title ?? row.incidentId,
        severity: incident ? incident.severity.toLowerCase() : null,
        title: row.title,
        text: row.text,
        link: row.link,
        dedupKey: row.dedupKey,
        teamName: row.teamId ? teamName(options.db, row.teamId) : null,
        requestedBy: row.requestedBy,
        remoteId: remoteOf(row),
        ...(isResolveSend(row.sendId) ? { action: 'resolve' as const } : {}),
      },
      options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
    );
    const after = store.send(row.rowId) ?? fresh;
    const what = isResolveSend(row.sendId)
      ? `Resolving the page of ${row.teamId ? (teamName(options.db, row.teamId) ?? row.teamId) : 'the team'}`
      : row.purpose === 'page'
        ? `The page of ${row.teamId ? (teamName(options.db, row.teamId) ?? row.teamId) : 'the team'}`
        : `"${row.title}"`;
    if (result.ok) {
      const extra: OpDraft[] = [];
      if (row.purpose === 'track' && row.sourceId && result.remoteUrl)
        extra.push({ entity: 'action_item', rowId: row.sourceId, fields: { incidentId: row.incidentId, trackerUrl: clip(result.remoteUrl, 2000) } });
      if (row.purpose === 'page') extra.push(systemEntry(row.incidentId, clip(`${what} reached ${target.name}: ${result.detail}.`, 4000), now()));
      try {
        write(
          after,
          {
            state: 'delivered',
            deliveredAt: now(),
            detail: clip(`${result.detail}${claim.previousHolder ? ' (sent again: the replica sending it before stopped mid-send)' : ''}`, 2000),
            remoteId: result.remoteId ? clip(result.remoteId, 200) : (after.remoteId ?? null),
            remoteUrl: result.remoteUrl ? clip(result.remoteUrl, 2000) : (after.remoteUrl ?? null),
            lastError: '',
            by: me(),
          },
          extra,
        );
      } finally {
        await settle(coordinator, settleOf(row.rowId, 'delivered'));
      }
    } else if (result.retryable) {
      const wait = delays[Math.min(attempts - 1, delays.length - 1)];
      write(after, { state: 'retrying', lastError: clip(result.error, 2000), nextAttemptAt: now() + wait, by: me() });
      await settle(coordinator, settleOf(row.rowId, 'released'));
    } else {
      write(after, { state: 'failed', lastError: clip(result.error, 2000), nextAttemptAt: null, by: me() }, [
        systemEntry(row.incidentId, clip(`${what} could not be sent to ${target.name}: ${result.error}`, 4000), now()),
      ]);
      await settle(coordinator, settleOf(row.rowId, 'released'));
    }
    return true;
  };

  return async (coordinator: DeliveryCoordinator): Promise<IntegrationPassResult> => {
    let wrote = false;
    try {
      wrote = queueMirrorPosts({ replica, store, incidents, db: options.db, now }) > 0;
    } catch (error) {
      options.log?.(`holdfast: integrations: queueing mirror posts failed: ${String(error)}`);
    }
    try {
      wrote = queueResolveSends({ replica, store, incidents, db: options.db, now }) > 0 || wrote;
    } catch (error) {
      options.log?.(`holdfast: integrations: queueing resolve sends failed: ${String(error)}`);
    }
    const at = now();
    for (const [rowId, until] of passedOver) if (until <= at) passedOver.delete(rowId);
    const due = store
      .dueSends(at, at - leaseMs, batch + passedOver.size)
      .filter((row) => !passedOver.has(row.rowId))
      .slice(0, batch);
    let down: string | null = null;
    for (let i = 0; i < due.length && down === null; i += parallelSends) {
      const results = await Promise.allSettled(due.slice(i, i + parallelSends).map((row) => sendOne(coordinator, row)));
      for (const result of results) {
        if (result.status === 'fulfilled') wrote ||= result.value;
        else if (result.reason instanceof CoordinatorDown) down = result.reason.message;
        else options.log?.(`holdfast: integrations: ${String(result.reason)}`);
      }
    }
    const refused = refusedInPass;
    refusedInPass = null;
    return { wrote, down, refused };
  };
}

function teamName(db: Database, teamId: string): string | null {
  return (db.prepare('SELECT name FROM teams WHERE id = ?').pluck().get(teamId) as string | undefined) ?? null;
}
