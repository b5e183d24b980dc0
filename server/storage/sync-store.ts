// The storage every node of the sync service speaks: an op log with per-stream sequence numbers
// and the user directory. Two drivers implement it, SQLite (embedded default) and PostgreSQL
// (DATABASE_URL); both pass tests/integration/sync-store.test.ts.
import { createHash } from 'node:crypto';
import type { Json } from '@shared/canonical';
import type { EntityName } from '@shared/entities';
import { createHlc } from '@shared/hlc';
import { genesisHash, hashOp, type Op, type OpKind } from '@shared/ops';
import { purgedStreamOf } from '@shared/purge';
import type { Role } from '@shared/roles';
import type { ClaimResponse, SettleRequest, SettleResponse } from '@shared/sync';
import { toOp, type OpRow } from '@shared/node/op-rows';
import { signOp, type OpSigner } from '@shared/trust/signing';
import type { OrgKey } from '@shared/trust/types';
import type { CrossNodePokes } from './postgres-pokes';

export { decideClaim, decideSettle, toDeliveryClaim, type ClaimRow, type ClaimState, type DeliveryClaim } from '@shared/delivery-claims';

/**
 * An op as the service keeps it: `refusal` when its signer was not allowed to write it (judgeOp).
 * A refused op is stored so its author's chain stays whole; it is pulled like any other (without
 * the refusal: every receiver judges for itself) and never counted by freezes or legal holds.
 */
export type StoredOp = Op & { refusal?: string };

export type SequencedOp = StoredOp & {
  /** Position in its stream: 1, 2, 3… without gaps, in commit order. */
  seq: number;
};

/** An op row of the service's `ops` table (migration 007 added `refusal`). */
export type ServiceOpRow = OpRow & { refusal?: string | null };

/** A row back to a SequencedOp, with its refusal when it has one. */
export const toSequencedOp = (row: ServiceOpRow): SequencedOp => ({ ...toOp(row), ...(row.refusal == null ? {} : { refusal: row.refusal }), seq: row.seq });

/** Which stored ops a revocation re-judges: of these certificates, or certless of these devices, from `fromHlc` on. */
export interface SignerQuery {
  certIds: readonly string[];
  /** Devices whose certless ops an adopting certificate among `certIds` covers. */
  adoptedDevices: readonly string[];
  fromHlc: string;
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
export function planPush(ops: readonly StoredOp[], isPurged: (streamId: string) => boolean): { gone: boolean[]; purges: Map<string, Op> } {
  const purges = new Map<string, Op>();
  const gone = ops.map((op) => {
    if (isPurged(op.streamId) || purges.has(op.streamId)) return true;
    // A refused purge record is kept in the log but purges nothing.
    const purged = op.refusal === undefined ? purgedStreamOf(op) : null;
    if (purged !== null && !isPurged(purged) && !purges.has(purged)) purges.set(purged, op);
    return false;
  });
  return { gone, purges };
}

/**
 * An op the service itself writes (a pipeline's event on an incident's timeline), before the store
 * gives it the service's clock, its place in the service device's chain in the stream and its hash.
 */
export interface ServiceDraft {
  opId: string;
  streamId: string;
  /** The user on whose behalf the service writes (the token's user). */
  actorId: string;
  entity: EntityName;
  rowId: string;
  kind: OpKind;
  fields: Record<string, Json>;
}

/** A reply kept with an idempotency key, given again to a retry of the same request. */
export interface StoredReply {
  status: number;
  body: Json;
}

export interface ServiceWrite {
  drafts: ServiceDraft[];
  /**
   * Scoped per user. A key already kept for the same fingerprint replays its reply and writes
   * nothing; under another fingerprint it is a conflict.
   */
  idempotency: { userName: string; key: string; fingerprint: string } | null;
  /**
   * The reply, from what became of each draft ('accepted', or 'gone' when its incident was purged).
   * Kept with the key when its status is below 400. Called inside the transaction: must be pure.
   */
  reply(statuses: InsertStatus[]): StoredReply;
  /**
   * Signs the ops under the service device's certificate. Without it they are unsigned (a store
   * written by tests, or a service started without an org key).
   */
  signer?: OpSigner;
}

export type ServiceWriteOutcome =
  | { outcome: 'written'; reply: StoredReply; ops: Op[]; statuses: InsertStatus[] }
  | { outcome: 'replayed'; reply: StoredReply }
  | { outcome: 'conflict'; recordedAt: number };

/** What is kept for an idempotency key. */
export interface IdempotencyRecord {
  fingerprint: string;
  reply: StoredReply;
  recordedAt: number;
}

/** An idempotency record as a row of the `idempotency_keys` table (both drivers). */
export interface IdempotencyRow {
  fingerprint: string;
  status: number;
  body: string;
  created_at: number;
}

export const toIdempotencyRecord = (row: IdempotencyRow): IdempotencyRecord => ({
  fingerprint: row.fingerprint,
  reply: { status: row.status, body: JSON.parse(row.body) as Json },
  recordedAt: row.created_at,
});

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Stamps the service's drafts into ops, the same in both drivers, inside the write's transaction:
 * each gets the next tick of the service's clock (resuming after `lastHlc`, so its ops are in
 * clock order across nodes and restarts) and chains to the service device's previous op in its
 * stream (`heads`, genesis for its first), as every replica's verifyChains expects.
 */
export function stampServiceOps(
  drafts: readonly ServiceDraft[],
  identity: { deviceId: string; lastHlc: string | null },
  heads: ReadonlyMap<string, string>,
  now: number,
  signer?: OpSigner,
): { ops: Op[]; lastHlc: string | null } {
  const clock = createHlc({ deviceId: identity.deviceId, now: () => now, last: identity.lastHlc ?? undefined });
  const chain = new Map(heads);
  const ops = drafts.map((draft): Op => {
    const unsigned = { ...draft, hlc: clock.tick(), deviceId: identity.deviceId, prevHash: chain.get(draft.streamId) ?? genesisHash };
    const op: Op = signer ? signOp(unsigned, signer, sha256Hex) : { ...unsigned, hash: hashOp(unsigned, sha256Hex) };
    chain.set(draft.streamId, op.hash);
    return op;
  });
  return { ops, lastHlc: ops.length > 0 ? clock.peek() : identity.lastHlc };
}

/** The newest hash of each stream among the accepted ops: where the service's chains now end. */
export function acceptedHeads(ops: readonly Op[], statuses: readonly InsertStatus[]): Map<string, string> {
  const heads = new Map<string, string>();
  ops.forEach((op, i) => {
    if (statuses[i] === 'accepted') heads.set(op.streamId, op.hash);
  });
  return heads;
}

/** An org key as a row of the `org_keys` table (both drivers). */
export interface OrgKeyRow {
  key_id: string;
  public_key: string;
  created_at: number;
}

export const toOrgKey = (row: OrgKeyRow): OrgKey => ({ keyId: row.key_id, publicKey: row.public_key, createdAt: row.created_at });

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
  insertOps(ops: readonly StoredOp[], receivedAt: number): Promise<InsertStatus[]>;
  /** Ops of a stream with seq > after, by seq, at most `limit` (none for a purged stream); refused ones too. */
  readOps(streamId: string, after: number, limit: number): Promise<SequencedOp[]>;
  /**
   * Every valid (not refused) op of the given entities (in `streamId` only, when given), by stream
   * and seq: what the service folds to answer GET /v1/freeze and to route events. Served by an index on entity.
   */
  readOpsByEntity(entities: readonly EntityName[], streamId?: string): Promise<SequencedOp[]>;
  /** Which of these opIds are stored. */
  knownOpIds(opIds: readonly string[]): Promise<Set<string>>;
  /** The stored hash of each of these opIds that is stored. */
  storedHashes(opIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Stored signed ops that follow these hashes in their chains (prevHash in `hashes`): a signature
   * there covers an unsigned op pushed later that it chains to (a legacy op sent after its successor).
   */
  signedSuccessors(hashes: readonly string[]): Promise<SequencedOp[]>;
  /** Stored ops (valid or refused) a revocation judges again (see SignerQuery), by hlc. */
  opsOfSigners(query: SignerQuery): Promise<SequencedOp[]>;
  /** Marks stored ops refused, each with its reason (a refused one whose reason differs gets the new one); how many changed. */
  refuseOps(refusals: readonly { opId: string; reason: string }[]): Promise<number>;
  /** Every stored op without a signature (written before signing existed): stream and hash, by stream and seq. */
  unsignedOps(): Promise<{ streamId: string; hash: string }[]>;
  /** Every stream that has ops, with its newest seq (a purged stream has neither). */
  streamHeads(): Promise<{ streamId: string; head: number }[]>;
  /** The purge of a stream, or null when it was not purged. */
  purgedStream(streamId: string): Promise<PurgedStream | null>;
  /** Every purged stream, oldest purge first. */
  purgedStreams(): Promise<PurgedStream[]>;
  /**
   * The device id this service writes its own ops under (pipeline events): made when the store is
   * first opened and kept for good, shared by every service node on one database.
   */
  serviceDeviceId(): Promise<string>;
  /**
   * Writes drafts as the service's own device, all in one transaction with the idempotency key:
   * stamped (stampServiceOps), inserted as insertOps does (seqs, purged streams), the chain heads
   * moved, the reply kept with the key. Service writes take turns (across nodes too), so the
   * service's clock and chains never fork.
   */
  writeAsService(write: ServiceWrite, receivedAt: number): Promise<ServiceWriteOutcome>;
  /** The organisation's public keys, oldest first (the first is the one replicas pin). */
  orgKeys(): Promise<OrgKey[]>;
  /**
   * Records `key` as the organisation's key when there is none yet (one node wins a race); returns
   * the keys afterwards, so the caller sees whether its key is the organisation's.
   */
  addFirstOrgKey(key: OrgKey): Promise<OrgKey[]>;
  /** Records a later org key (rotation; its endorsed org_key op is in the trust stream); returns the keys afterwards. */
  addOrgKey(key: OrgKey): Promise<OrgKey[]>;
  /** What is kept for a user's idempotency key, if anything. */
  idempotencyRecord(userName: string, key: string): Promise<IdempotencyRecord | null>;
  addUser(user: NewUser): Promise<User>;
  /** The active (not revoked) user holding this token hash. */
  userByTokenHash(tokenHash: string): Promise<User | null>;
  userByName(name: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Revokes every token of the user; false if there is no such active user. */
  revokeUser(name: string, at: number): Promise<boolean>;
  /**
   * Claims delivery `key` for `holder` for `leaseMs` from `now`: one atomic compare-and-set (see
   * decideClaim), also between service nodes sharing one database.
   */
  claimDelivery(key: string, holder: string, leaseMs: number, now: number): Promise<ClaimResponse>;
  /** Settles the holder's claim as delivered (done for good) or released (anyone may claim it). */
  settleDelivery(key: string, holder: string, outcome: SettleRequest['outcome'], now: number): Promise<SettleResponse>;
  /** Throws when the database cannot answer (for /readyz). */
  ping(): Promise<void>;
  /** Pokes between service nodes sharing this database (PostgreSQL LISTEN/NOTIFY); absent when one node is all there is. */
  readonly crossNodePokes?: CrossNodePokes;
  close(): Promise<void>;
}
