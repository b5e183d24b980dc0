// The replica: turns domain writes into ops (clock, id, chain hash), applies local and remote ops
// to the op log and projections in one transaction per batch, and rebuilds projections from the
// op log on demand. A purge record removes its incident from the replica in the same transaction
// (every op of its stream and every projection row), and later ops of that incident are refused.
// Every op it writes is signed with the device key; once an org key is pinned, ops are judged
// (commitLocal refuses before writing; applyRemote keeps refused ops unprojected and holds undecidable ones).
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import { entitySpecs, incidentOfStream, noStream, trustStream } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { ClockDriftError, createHlc, defaultMaxDriftMs, isClockAhead, type HlcClock } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { checkOp, claimedOpId, hashOp, type Op, type OpDraft } from '@shared/ops';
import { goneReason, purgedStreamOf } from '@shared/purge';
import { signOp } from '@shared/trust/signing';
import type { RevocationBody } from '@shared/trust/types';
import type { DeviceKey } from './device-key';
import { createClockHeld } from './clock-held';
import { createClockOffset, type ClockOffset } from './clock-offset';
import { createOpJudge, type BatchJudge } from './op-judge';
import { createTrustStore, type ReplicaTrust } from './trust-store';
import { createOpLog, type OpLog } from './op-log';
import { nativeSha256Hex } from './native-hash';
import { withRelaxedSync } from './relaxed-sync';
import { createProjections, type Projections, type Touched } from './projections';
import { createRejudge, verdictDigest } from './rejudge';

export interface ApplyOptions {
  /**
   * The sender keeps these ops and hands them out again (a pull from a service or hub): the
   * transaction is committed without waiting for the disk, so a large catch-up does not sync the
   * file once per slice. A power cut may lose such a batch, together with the pull cursor that
   * records it, and the next pull fetches it again; the next durable commit syncs it for good.
   * Never for ops this replica acknowledges to their sender (a hub's pushes).
   */
  isRefetchable?: boolean;
  /**
   * A refusal the caller imposes on some ops (an evidence bundle's delivery records: evidence, never
   * outbox work): such an op, unless rejected, is stored refused with this reason and never projected.
   */
  refuse?: (op: Op) => string | null;
}

/** `refused`: stored (the chain stays whole) but not projected; `held`: kept outside the log until it can be judged. */
export type OpResult =
  | { opId: string; status: 'accepted' | 'duplicate' }
  | { opId: string; status: 'refused' | 'held'; reason: string }
  | { opId: string | null; status: 'rejected'; reason: string };

export interface ReplicaOptions {
  now?: () => number;
  /** A clock that never jumps (default performance.now): a wall clock set right drops the measured offset. */
  monotonic?: () => number;
  maxDriftMs?: number;
  /** Called after each committed batch with what it touched. */
  onApplied?: (touched: Touched[]) => void;
  /** Runs inside each local write's transaction, after its ops are applied (one commit, one fsync). */
  inLocalCommit?: () => void;
  /** This device's signing key (by device id); without one, ops are written unsigned (bare test replicas). */
  deviceKey?: (deviceId: string) => DeviceKey;
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
  /** This computer's clock against its sync peers': what corrects the time ops are stamped with. */
  readonly clockOffset: ClockOffset;
  /** Ops held because their stamp was too far ahead: how many, from `source` (a peer id) or from anywhere. */
  clockHeldCount(source?: string | null): number;
  /** Applies the held ops whose time has come; returns what became of them (held again or decided). */
  retryClockHeld(): OpResult[];
  /** Pinned org keys, trust mode, this device's certificate, held ops. */
  readonly trust: ReplicaTrust;
  /** This device's public key (base64url), or null when it signs nothing. */
  readonly publicKey: string | null;
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
  /**
   * Removes an incident stream that left this laptop's scope: its ops, projection rows and delivery
   * claims, in one transaction that first asks `mayEvict` (an unacknowledged op found there keeps
   * it; the caller's own bookkeeping, such as pull cursors, is written there too, in the same
   * transaction). Unlike a purge nothing records it: the stream comes back whole if pulled again.
   * Never evicted, whatever `mayEvict` says: a stream holding an op this device wrote, or one with
   * an op waiting here for a certificate or for its clock.
   */
  evictStream(streamId: string, mayEvict: () => boolean): boolean;
  /** SHA-256 over every op's id and refusal: equal on replicas that hold the same ops and judged them alike. */
  verdictDigest(): string;
}

export function readMeta(db: Database, key: string): string | undefined {
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
  const deviceKey = options.deviceKey?.(deviceId) ?? null;
  const trust = createTrustStore(db, { deviceId, publicKey: deviceKey?.publicKey ?? null });
  const judge = createOpJudge(trust, opLog);
  const rejudge = createRejudge(db, trust);
  // Revocations accepted by the batch being applied: ops stored valid before them are judged again at its end.
  let revokedInBatch: RevocationBody[] = [];
  // Stamps and drift checks read the wall clock corrected by the offset the last exchange measured.
  const clockOffset = createClockOffset({
    now,
    monotonic: options.monotonic,
    floor: Number(readMeta(db, 'clock_floor') ?? 0),
    saveFloor: (ms) => writeMeta(db, 'clock_floor', String(ms)),
  });
  const correctedNow = () => clockOffset.time();
  const clock = createHlc({ deviceId, now: correctedNow, maxDriftMs: options.maxDriftMs ?? defaultMaxDriftMs, last: opLog.newestHlcOf(deviceId) });
  const clockHeld = createClockHeld(db);
  // This device's newest stamp in a stream: a clock started again below its own past still stamps each chain in order.
  const newestInStream = db.prepare('SELECT max(hlc) FROM ops WHERE device_id = ? AND stream_id = ?').pluck();
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
   * After a commit that purged an incident: secure_delete zeroes deleted cells, but SQLite may leave
   * copies of moved cells in the unused space of live pages (longer signed ops make that common),
   * so the file is rewritten (VACUUM). The write-ahead log still holds the pages as they were
   * before, so it is then checkpointed into the database file and truncated. Best effort: while
   * another connection reads, the next checkpoint does it.
   */
  const afterPurge = (touched: Touched[]): void => {
    if (!touched.some((t) => t.entity === 'purge_record')) return;
    try {
      db.exec('VACUUM');
    } catch {
      // busy (a statement still reading): the copies stay until the next purge rewrites the file
    }
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // busy: the periodic checkpoint catches up
    }
  };

  // What keeps a stream on this laptop whatever the caller decides: an op this device wrote (pulls
  // skip a device's own ops, and its chain in the stream would start again from genesis), or an op
  // of it waiting here for a certificate or for its clock (applied later, it would rebuild a stub).
  const holdsOwnOp = db.prepare('SELECT 1 FROM ops WHERE stream_id = ? AND device_id = ? LIMIT 1').pluck();
  const holdsWaitingOp = db
    .prepare(
      `SELECT 1 FROM ops_held WHERE json_extract(op, '$.streamId') = @stream
      UNION ALL SELECT 1 FROM ops_clock_held WHERE json_extract(op, '$.streamId') = @stream LIMIT 1`,
    )
    .pluck();
  const evictStream = db.transaction((streamId: string, mayEvict: () => boolean): boolean => {
    const incidentId = incidentOfStream(streamId);
    if (incidentId === null) return false;
    if (holdsOwnOp.get(streamId, deviceId) !== undefined || holdsWaitingOp.get({ stream: streamId }) !== undefined) return false;
    if (!mayEvict()) return false;
    projections.removeIncident(incidentId);
    opLog.removeStream(streamId);
    removeClaims.run(`${incidentId}/`, `${incidentId}0`);
    return true;
  });

  const commitLocal = db.transaction((drafts: OpDraft[], pending: Map<string, string>) => {
    const isJudging = trust.isJudging();
    const ops: Op[] = [];
    const touched: Touched[] = [];
    const stamped = new Map<string, string>();
    for (const draft of drafts) {
      const spec = entitySpecs[draft.entity];
      const fields = spec.fields.parse(draft.fields) as Op['fields'];
      const opId = uuidv7(now());
      const rowId = spec.kind === 'append' ? opId : draft.rowId;
      const streamId = spec.streamOf(rowId, fields);
      if (streamId === noStream) throw new Error(`${draft.entity} ${rowId}: the row id and the fields name different incidents`);
      const hlc = clock.tick(() => stamped.get(streamId) ?? ((newestInStream.get(deviceId, streamId) as string | null) || undefined));
      stamped.set(streamId, hlc);
      const gone = goneFrom(streamId);
      if (gone) throw new ApiError('not_found', gone);
      const prevHash = pending.get(streamId) ?? headOf(streamId);
      const unsigned = { opId, hlc, streamId, actorId, deviceId, entity: draft.entity, rowId, kind: spec.kind, fields, prevHash };
      const op: Op = deviceKey
        ? signOp(unsigned, { certId: trust.certificate()?.certId ?? null, sign: deviceKey.sign }, nativeSha256Hex)
        : { ...unsigned, hash: hashOp(unsigned, nativeSha256Hex) };
      if (isJudging) {
        // The same judge every other node runs: a write refused anywhere is refused here, before it exists.
        const verdict = judge.local(op);
        // Pinned but never certified: nothing it writes can be judged valid until it connects.
        if (verdict.is !== 'valid') throw new ApiError('forbidden', trust.certificate() === null ? noCertificateYet : verdict.reason);
      }
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
    revokedInBatch = [];
    // Judged replicas check the whole batch up front; standalone ones op by op, as before (no batch-sized arrays).
    const checks = trust.isJudging() ? inputs.map((input) => checkOp(input, nativeSha256Hex)) : null;
    // Judged replicas authenticate the whole batch first (one signature per chain run).
    const verdictOf = checks ? judge.batch(checks.flatMap((c) => (c.ok ? [c.op] : []))) : null;
    let isTrustChanged = false;
    for (const [i, input] of inputs.entries()) {
      const checked = checks?.[i] ?? checkOp(input, nativeSha256Hex);
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
        // Never dropped: kept with this batch, applied again once its time is near.
        if (!opLog.storedHash(op.opId)) clockHeld.hold(op, error.message, source, error.dueAt, now());
        results.push({ opId: op.opId, status: 'held', reason: error.message });
        continue;
      }
      const imposed = imposedRefusal?.(op) ?? null;
      if (imposed !== null) {
        results.push(storeImposed(op, imposed, verdictOf, source));
        continue;
      }
      if (verdictOf) {
        const result = applyJudged(op, verdictOf, source, touched);
        if ((result.status === 'accepted' || result.status === 'refused') && op.streamId === trustStream) isTrustChanged = true;
        if (result.status === 'accepted' && op.entity === 'purge_record') goneIn.forget();
        results.push(result);
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
    if (isTrustChanged) {
      // Ops of this batch that waited on trust records later in it are decided now: say so.
      const decided = judgeHeldAgain(touched);
      for (const [i, result] of results.entries()) if (result.status === 'held') results[i] = decided.get(result.opId) ?? result;
    }
    if (revokedInBatch.length > 0) judgeRevokedAgain(results, touched);
    return { results, touched };
  });

  /** An op the caller refuses: stored refused (never projected) unless it is not what it claims to be. */
  const storeImposed = (op: Op, refusal: string, verdictOf: BatchJudge | null, source: string | null): OpResult => {
    const verdict = verdictOf?.(op);
    if (verdict?.is === 'rejected') return { opId: op.opId, status: 'rejected', reason: verdict.reason };
    if (!opLog.insert(op, now(), source, refusal)) return { opId: op.opId, status: 'duplicate' };
    trust.release(op.opId);
    if (op.deviceId === deviceId) heads.delete(op.streamId);
    return { opId: op.opId, status: 'refused', reason: refusal };
  };
  let imposedRefusal: ApplyOptions['refuse'] | undefined;

  /** One op of a judged batch: a duplicate, or stored and projected, stored refused, held, or rejected. */
  const applyJudged = (op: Op, verdictOf: BatchJudge, source: string | null, touched: Touched[]): OpResult => {
    // Stored before this batch (a copy later in the batch is caught by the insert below).
    if (verdictOf.isStored(op)) return { opId: op.opId, status: 'duplicate' };
    const verdict = verdictOf(op);
    if (verdict.is === 'rejected') return { opId: op.opId, status: 'rejected', reason: verdict.reason };
    if (verdict.is === 'held') {
      trust.hold(op, verdict.reason, source, now());
      return { opId: op.opId, status: 'held', reason: verdict.reason };
    }
    const refusal = verdict.is === 'refused' ? verdict.reason : null;
    if (!opLog.insert(op, now(), source, refusal)) return { opId: op.opId, status: 'duplicate' };
    trust.release(op.opId);
    if (op.deviceId === deviceId) heads.delete(op.streamId);
    if (refusal !== null) {
      if (projectsWhenRefused(op)) {
        apply(op, touched);
        verdictOf.trustChanged();
      }
      return { opId: op.opId, status: 'refused', reason: refusal };
    }
    apply(op, touched);
    // A certificate, revocation or seal now counts for the rest of the batch.
    if (op.streamId === trustStream) verdictOf.trustChanged();
    if (op.entity === 'cert_revocation') revokedInBatch.push((op.fields as unknown as { body: RevocationBody }).body);
    return { opId: op.opId, status: 'accepted' };
  };

  /**
   * After a batch applied revocations: ops stored valid that they make invalid become refused (the
   * refusal judgeOp gives, as on a replica that had the revocation first), and the projections are
   * rebuilt without them in the same transaction (revocations are rare). Results say so.
   */
  const judgeRevokedAgain = (results: OpResult[], touched: Touched[]): void => {
    const changed = rejudge.afterRevocations(revokedInBatch);
    revokedInBatch = [];
    if (changed.length === 0) return;
    rebuild(false);
    const byId = new Map(changed.map((c) => [c.opId, c]));
    for (const [i, result] of results.entries()) {
      const refused = result.opId === null ? undefined : byId.get(result.opId);
      if (refused && result.status === 'accepted') results[i] = { opId: refused.opId, status: 'refused', reason: refused.reason };
    }
    for (const { streamId, entity } of changed) touched.push({ streamId, incidentId: incidentOfStream(streamId), entity });
  };

  /** After trust records arrived: held ops they decide are stored (valid or refused) or dropped (rejected). Returns what was decided. */
  const judgeHeldAgain = (touched: Touched[]): Map<string, OpResult> => {
    const decided = new Map<string, OpResult>();
    // A promoted trust record may decide more held ops: go round until a pass decides nothing.
    for (let pass = 0; pass < 8; pass += 1) {
      const held = trust.held();
      const verdictOf = judge.batch(held.map((h) => h.op));
      let isDecided = false;
      for (const { op, source } of held) {
        if (goneFrom(op.streamId)) {
          trust.release(op.opId);
          continue;
        }
        const result = applyJudged(op, verdictOf, source, touched);
        if (result.status === 'held') continue;
        if (result.status !== 'duplicate') isDecided = true;
        decided.set(op.opId, result);
        trust.release(op.opId);
      }
      if (!isDecided) break;
    }
    return decided;
  };

  /** Runs a transaction; if it rolls back, what the trust store remembers of it is dropped too. */
  const forgettingOnRollback = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      trust.forget();
      throw error;
    }
  };

  const rebuild = db.transaction((dryRun: boolean): RebuildReport => {
    const before = projections.digest();
    projections.clear();
    let ops = 0;
    // The op log holds no op of a purged incident; should one be there, it is not projected.
    const goneIn = goneLookup();
    // Pages, not a cursor: better-sqlite3 cannot write while a read statement is iterating.
    // Refused ops stay in the log (chains stay whole) but never reach a projection.
    for (let page = opLog.projectableSince(0, 5000); page.length > 0; page = opLog.projectableSince(page[page.length - 1].seq, 5000)) {
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
    clockOffset,
    clockHeldCount: (source) => clockHeld.count(source),
    retryClockHeld() {
      const results: OpResult[] = [];
      for (let due = clockHeld.due(correctedNow(), 500); due.length > 0; due = clockHeld.due(correctedNow(), 500)) {
        const bySource = new Map<string | null, Op[]>();
        for (const { op, source } of due) bySource.set(source, [...(bySource.get(source) ?? []), op]);
        let isDecided = false;
        for (const [source, ops] of bySource) {
          const decided = this.applyRemote(ops, source ?? undefined);
          decided.forEach((result, i) => {
            // Held again for its clock: the row stays (with its new reason); anything else settles it.
            if (result.status === 'held' && isClockAhead(result.reason)) return;
            clockHeld.release(ops[i].opId);
            isDecided = true;
          });
          results.push(...decided);
        }
        if (!isDecided) break;
      }
      return results;
    },
    trust,
    publicKey: deviceKey?.publicKey ?? null,
    commitLocal(drafts) {
      const pending = new Map<string, string>();
      const { ops, touched } = forgettingOnRollback(() => commitLocal(drafts, pending));
      for (const [stream, hash] of pending) heads.set(stream, hash);
      afterPurge(touched);
      options.onApplied?.(touched);
      return ops;
    },
    applyRemote(inputs, source, { isRefetchable = false, refuse } = {}) {
      let outcome: ReturnType<typeof applyRemote>;
      imposedRefusal = refuse;
      try {
        const applying = () => forgettingOnRollback(() => applyRemote(inputs, source ?? null));
        outcome = isRefetchable ? withRelaxedSync(db, applying) : applying();
      } finally {
        imposedRefusal = undefined;
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
    evictStream(streamId, mayEvict) {
      if (!evictStream(streamId, mayEvict)) return false;
      heads.delete(streamId);
      // Screens showing the incident hear that it changed (it is no longer on this laptop).
      options.onApplied?.([{ streamId, incidentId: incidentOfStream(streamId), entity: 'incident' }]);
      return true;
    },
    verdictDigest: () => verdictDigest(db),
  };
}

/** Why a replica that pinned its organisation's key but has no certificate yet may not write. */
export const noCertificateYet =
  "this replica trusts your organisation's key but has no certificate yet: connect to the Holdfast service (Settings, Sync) once to get one, then try again";

/**
 * A certificate is known once any node stored the op carrying it, even refused: whether it counts
 * is the judge's to say from the certificate itself (its issuer's signature, the hub host's role
 * and revocations). Otherwise a guest certificate written after its hub's revocation would be
 * unknown (its ops held) where the revocation came first, and known (its ops refused) elsewhere.
 */
const projectsWhenRefused = (op: Op) => op.entity === 'device_cert';

/** Thrown to roll back a dry-run rebuild while keeping its report. */
class DryRun extends Error {
  constructor(readonly report: RebuildReport) {
    super('dry run');
  }
}
