// The replica: turns domain writes into ops (clock, id, chain hash), applies local and remote ops
// to the op log and projections in one transaction per batch, and rebuilds projections from the
// op log on demand. A purge record removes its incident from the replica in the same transaction
// (every op of its stream and every projection row), and later ops of that incident are refused.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import { entitySpecs, incidentOfStream, noStream } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { ClockDriftError, createHlc, defaultMaxDriftMs, type HlcClock } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { checkOp, claimedOpId, hashOp, type Op, type OpDraft } from '@shared/ops';
import { goneReason, purgedStreamOf } from '@shared/purge';
import { createOpLog, type OpLog } from './op-log';
import { nativeSha256Hex } from './native-hash';
import { createProjections, type Projections, type Touched } from './projections';

export interface ApplyOptions {
  /**
   * The sender keeps these ops and hands them out again (a pull from a service or hub): the
   * transaction is committed without waiting for the disk, so a large catch-up does not sync the
   * file once per slice. A power cut may lose such a batch, together with the pull cursor that
   * records it, and the next pull fetches it again; the next durable commit syncs it for good.
   * Never for ops this replica acknowledges to their sender (a hub's pushes).
   */
  isRefetchable?: boolean;
}

export type OpResult = { opId: string; status: 'accepted' | 'duplicate' } | { opId: string | null; status: 'rejected'; reason: string };

export interface ReplicaOptions {
  now?: () => number;
  maxDriftMs?: number;
  /** Called after each committed batch with what it touched. */
  onApplied?: (touched: Touched[]) => void;
  /** Runs inside each local write's transaction, after its ops are applied (one commit, one fsync). */
  inLocalCommit?: () => void;
}

export interface RebuildReport {
  ops: number;
  before: string;
  after: string;
  isIdentical: boolean;
}

export interface Replica {
  readonly deviceId: string;
  /** The person this replica writes as. */
  readonly actorId: string;
  /** Writes as someone else from now on (e.g. the user a sync server knows this person as). */
  setActor(actorId: string): void;
  readonly opLog: OpLog;
  readonly clock: HlcClock;
  /** Writes drafts as ops, all or none. Returns the ops as stored. */
  commitLocal(drafts: OpDraft[]): Op[];
  /**
   * Applies ops from elsewhere in one transaction; each op is accepted, a duplicate, or rejected
   * with a reason. `source` names the peer that delivered them, so they are not pushed back to it.
   */
  applyRemote(ops: unknown[], source?: string, options?: ApplyOptions): OpResult[];
  /** Re-derives every projection from the op log and reports whether the result equals what was there. */
  rebuild(options?: { dryRun?: boolean }): RebuildReport;
  digest(): string;
}

function readMeta(db: Database, key: string): string | undefined {
  return db.prepare('SELECT value FROM replica_meta WHERE key = ?').pluck().get(key) as string | undefined;
}

export function writeMeta(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO replica_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function newDeviceId(): string {
  return randomBytes(8).toString('hex');
}

/** This replica's device id and acting user, created on first open. */
export function replicaIdentity(db: Database): { deviceId: string; actorId: string } {
  let deviceId = readMeta(db, 'device_id');
  if (!deviceId) {
    deviceId = newDeviceId();
    writeMeta(db, 'device_id', deviceId);
  }
  let actorId = readMeta(db, 'actor_id');
  if (!actorId) {
    actorId = safeUserName();
    writeMeta(db, 'actor_id', actorId);
  }
  return { deviceId, actorId };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}

export function openReplica(db: Database, options: ReplicaOptions = {}): Replica {
  const now = options.now ?? Date.now;
  const identity = replicaIdentity(db);
  const { deviceId } = identity;
  let actorId = identity.actorId;
  const opLog = createOpLog(db);
  const projections: Projections = createProjections(db);
  const clock = createHlc({ deviceId, now, maxDriftMs: options.maxDriftMs ?? defaultMaxDriftMs, last: opLog.newestHlcOf(deviceId) });
  // This device's chain heads; filled from the op log on first use, updated only after a commit.
  const heads = new Map<string, string>();
  const headOf = (streamId: string) => heads.get(streamId) ?? opLog.chainHead(deviceId, streamId);

  /** Why ops of `streamId` are refused because its incident was purged, or null. */
  const goneFrom = (streamId: string): string | null => {
    const incidentId = incidentOfStream(streamId);
    const purgedAt = incidentId === null ? null : projections.purgedAt(incidentId);
    return purgedAt === null ? null : goneReason(incidentId!, purgedAt);
  };
  /** goneFrom, each stream looked up once per batch; forget() after applying a purge record. */
  const goneLookup = () => {
    const known = new Map<string, string | null>();
    return {
      of(streamId: string): string | null {
        if (!known.has(streamId)) known.set(streamId, goneFrom(streamId));
        return known.get(streamId)!;
      },
      forget: () => known.clear(),
    };
  };
  const removeClaims = db.prepare('DELETE FROM delivery_claims WHERE key >= ? AND key < ?');
  /**
   * Applies an op; a purge record also removes its incident: the projector deletes the incident's
   * rows, and here its stream leaves the op log (every device's chain in it, so the chains left
   * still verify) with this replica's own delivery claims for it. Deleted content is overwritten
   * (secure_delete) so the incident's text does not linger in free pages of the database file.
   */
  const apply = (op: Op, touched: Touched[]): void => {
    const purged = purgedStreamOf(op);
    if (purged === null) {
      touched.push(projections.apply(op));
      return;
    }
    const incidentId = incidentOfStream(purged)!;
    const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    try {
      touched.push(projections.apply(op));
      opLog.removeStream(purged);
      removeClaims.run(`${incidentId}/`, `${incidentId}0`);
    } finally {
      db.pragma(`secure_delete = ${secureDelete === 2 ? 'FAST' : secureDelete}`);
    }
    heads.delete(purged);
    // Screens showing the incident hear that it changed (it is gone).
    touched.push({ streamId: purged, incidentId, entity: 'incident' });
  };

  /**
   * After a commit that purged an incident: the write-ahead log still holds the pages as they were
   * before, so it is checkpointed into the (overwritten) database file and truncated. Best effort:
   * while another connection reads, the next checkpoint does it.
   */
  const afterPurge = (touched: Touched[]): void => {
    if (!touched.some((t) => t.entity === 'purge_record')) return;
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // busy: the periodic checkpoint catches up
    }
  };

  const commitLocal = db.transaction((drafts: OpDraft[], pending: Map<string, string>) => {
    const ops: Op[] = [];
    const touched: Touched[] = [];
    for (const draft of drafts) {
      const spec = entitySpecs[draft.entity];
      const fields = spec.fields.parse(draft.fields) as Op['fields'];
      const hlc = clock.tick();
      const opId = uuidv7(now());
      const rowId = spec.kind === 'append' ? opId : draft.rowId;
      const streamId = spec.streamOf(rowId, fields);
      if (streamId === noStream) throw new Error(`${draft.entity} ${rowId}: the row id and the fields name different incidents`);
      const gone = goneFrom(streamId);
      if (gone) throw new ApiError('not_found', gone);
      const prevHash = pending.get(streamId) ?? headOf(streamId);
      const unsigned = { opId, hlc, streamId, actorId, deviceId, entity: draft.entity, rowId, kind: spec.kind, fields, prevHash };
      const op: Op = { ...unsigned, hash: hashOp(unsigned, nativeSha256Hex) };
      opLog.insert(op, now());
      pending.set(streamId, op.hash);
      apply(op, touched);
      const purged = purgedStreamOf(op);
      if (purged !== null) pending.delete(purged);
      ops.push(op);
    }
    options.inLocalCommit?.();
    return { ops, touched };
  });

  const applyRemote = db.transaction((inputs: unknown[], source: string | null) => {
    const results: OpResult[] = [];
    const touched: Touched[] = [];
    const goneIn = goneLookup();
    for (const input of inputs) {
      const checked = checkOp(input, nativeSha256Hex);
      if (!checked.ok) {
        const opId = claimedOpId(input);
        results.push({ opId, status: 'rejected', reason: checked.reason });
        continue;
      }
      const { op } = checked;
      // An incident purged here stays purged: its ops from replicas that had not heard of the
      // purge yet are refused, not stored.
      const gone = goneIn.of(op.streamId);
      if (gone) {
        results.push({ opId: op.opId, status: 'rejected', reason: gone });
        continue;
      }
      try {
        clock.receive(op.hlc);
      } catch (error) {
        if (!(error instanceof ClockDriftError)) throw error;
        results.push({ opId: op.opId, status: 'rejected', reason: error.message });
        continue;
      }
      if (!opLog.insert(op, now(), source)) {
        results.push({ opId: op.opId, status: 'duplicate' });
        continue;
      }
      // Our own ops coming back (e.g. after a restore) move our chain head.
      if (op.deviceId === deviceId) heads.delete(op.streamId);
      apply(op, touched);
      if (op.entity === 'purge_record') goneIn.forget();
      results.push({ opId: op.opId, status: 'accepted' });
    }
    return { results, touched };
  });

  const rebuild = db.transaction((dryRun: boolean): RebuildReport => {
    const before = projections.digest();
    projections.clear();
    let ops = 0;
    // The op log holds no op of a purged incident; should one be there, it is not projected.
    const goneIn = goneLookup();
    // Pages, not a cursor: better-sqlite3 cannot write while a read statement is iterating.
    for (let page = opLog.since(0, 5000); page.length > 0; page = opLog.since(page[page.length - 1].seq, 5000)) {
      for (const op of page) {
        if (goneIn.of(op.streamId)) continue;
        projections.apply(op);
        if (op.entity === 'purge_record') goneIn.forget();
      }
      ops += page.length;
    }
    const after = projections.digest();
    const report = { ops, before, after, isIdentical: before === after };
    if (dryRun) throw new DryRun(report);
    return report;
  });

  return {
    deviceId,
    get actorId() {
      return actorId;
    },
    setActor(next) {
      writeMeta(db, 'actor_id', next);
      actorId = next;
    },
    opLog,
    clock,
    commitLocal(drafts) {
      const pending = new Map<string, string>();
      const { ops, touched } = commitLocal(drafts, pending);
      for (const [stream, hash] of pending) heads.set(stream, hash);
      afterPurge(touched);
      options.onApplied?.(touched);
      return ops;
    },
    applyRemote(inputs, source, { isRefetchable = false } = {}) {
      if (isRefetchable) db.pragma('synchronous = NORMAL');
      let outcome: ReturnType<typeof applyRemote>;
      try {
        outcome = applyRemote(inputs, source ?? null);
      } finally {
        if (isRefetchable) db.pragma('synchronous = FULL');
      }
      const { results, touched } = outcome;
      afterPurge(touched);
      if (touched.length > 0) options.onApplied?.(touched);
      return results;
    },
    rebuild({ dryRun = false } = {}) {
      try {
        return rebuild(dryRun);
      } catch (error) {
        if (error instanceof DryRun) return error.report;
        throw error;
      }
    },
    digest: () => projections.digest(),
  };
}

/** Thrown to roll back a dry-run rebuild while keeping its report. */
class DryRun extends Error {
  constructor(readonly report: RebuildReport) {
    super('dry run');
  }
}
