// The storage every node of the sync service speaks: an op log with per-stream sequence numbers
// and the user directory. Two drivers implement it, SQLite (embedded default) and PostgreSQL
// (DATABASE_URL); both pass tests/integration/sync-store.test.ts.
import type { Op } from '../../shared/ops';
import { purgedStreamOf } from '../../shared/purge';
import type { Role } from '../../shared/roles';
import type { ClaimResponse, SettleRequest, SettleResponse } from '../../shared/sync';

export { decideClaim, decideSettle, toDeliveryClaim, type ClaimRow, type ClaimState, type DeliveryClaim } from '../../shared/delivery-claims';

export interface SequencedOp extends Op {
  /** Position in its stream: 1, 2, 3… without gaps, in commit order. */
  seq: number;
}

export interface User {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

/** A user as a row of the `users` table (both drivers). */
export interface UserRow {
  id: number;
  name: string;
  role: Role;
  created_at: number;
  revoked_at: number | null;
}

export const toUser = (row: UserRow): User => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at });

export interface NewUser {
  name: string;
  role: Role;
  /** SHA-256 hex of the token; the token itself is never stored. */
  tokenHash: string;
  createdAt: number;
}

/**
 * What became of an op in a push: stored, already known, or refused because its incident stream
 * was purged under the retention setting (see PurgedStream).
 */
export type InsertStatus = 'accepted' | 'duplicate' | 'gone';

/** An incident stream removed by a purge record: its ops and head were deleted for good. */
export interface PurgedStream {
  streamId: string;
  incidentId: string;
  /** The purge record that removed it (the first one this service accepted). */
  purgeOpId: string;
  /** The record's purgedAt. */
  purgedAt: number;
  /** When this service accepted the record and deleted the stream. */
  recordedAt: number;
  /** How many ops of the stream were deleted then. */
  deletedOps: number;
}

/** A purged stream as a row of the `purged_streams` table (both drivers). */
export interface PurgedStreamRow {
  stream_id: string;
  incident_id: string;
  purge_op_id: string;
  purged_at: number;
  recorded_at: number;
  deleted_ops: number;
}

export const toPurgedStream = (row: PurgedStreamRow): PurgedStream => ({
  streamId: row.stream_id,
  incidentId: row.incident_id,
  purgeOpId: row.purge_op_id,
  purgedAt: row.purged_at,
  recordedAt: row.recorded_at,
  deletedOps: row.deleted_ops,
});

/**
 * What a push does to its ops, the same in both drivers. Ops of a stream that was purged before
 * them (by an earlier push, or earlier in this one) are gone. Every purge record in the push whose
 * stream is not purged yet purges it: the stream's ops (including this push's earlier ones) and
 * head are deleted and the stream recorded, in the push's transaction.
 */
export function planPush(ops: Op[], isPurged: (streamId: string) => boolean): { gone: boolean[]; purges: Map<string, Op> } {
  const purges = new Map<string, Op>();
  const gone = ops.map((op) => {
    if (isPurged(op.streamId) || purges.has(op.streamId)) return true;
    const purged = purgedStreamOf(op);
    if (purged !== null && !isPurged(purged) && !purges.has(purged)) purges.set(purged, op);
    return false;
  });
  return { gone, purges };
}

export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';
}

export interface SyncStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Inserts ops in one transaction. A known opId is a duplicate and changes nothing; each new op
   * gets the next seq of its stream inside the same transaction, so a reader never sees seq N+1
   * before seq N. An op of a purged stream is gone and not stored; a purge record purges its
   * incident's stream in the same transaction (see planPush). Results are in input order.
   */
  insertOps(ops: Op[], receivedAt: number): Promise<InsertStatus[]>;
  /** Ops of a stream with seq > after, by seq, at most `limit` (none for a purged stream). */
  readOps(streamId: string, after: number, limit: number): Promise<SequencedOp[]>;
  /** Every stream that has ops, with its newest seq (a purged stream has neither). */
  streamHeads(): Promise<{ streamId: string; head: number }[]>;
  /** The purge of a stream, or null when it was not purged. */
  purgedStream(streamId: string): Promise<PurgedStream | null>;
  /** Every purged stream, oldest purge first. */
  purgedStreams(): Promise<PurgedStream[]>;
  addUser(user: NewUser): Promise<User>;
  /** The active (not revoked) user holding this token hash. */
  userByTokenHash(tokenHash: string): Promise<User | null>;
  userByName(name: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Revokes every token of the user; false if there is no such active user. */
  revokeUser(name: string, at: number): Promise<boolean>;
  /**
   * Records that on `deviceId`, ops written as `alias` are `userName`'s. Returns the user that
   * holds the claim afterwards: `userName`, or whoever claimed it first.
   */
  claimAlias(deviceId: string, alias: string, userName: string, at: number): Promise<string>;
  /** Who claimed `alias` on `deviceId`, if anyone. */
  aliasOwner(deviceId: string, alias: string): Promise<string | null>;
  /**
   * Claims delivery `key` for `holder` for `leaseMs` from `now`: one atomic compare-and-set (see
   * decideClaim), also between service nodes sharing one database.
   */
  claimDelivery(key: string, holder: string, leaseMs: number, now: number): Promise<ClaimResponse>;
  /** Settles the holder's claim as delivered (done for good) or released (anyone may claim it). */
  settleDelivery(key: string, holder: string, outcome: SettleRequest['outcome'], now: number): Promise<SettleResponse>;
  /** Throws when the database cannot answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
