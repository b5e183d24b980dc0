// SyncStore on PostgreSQL (DATABASE_URL): several service nodes can share one database. Every
// number (seqs, ids, millisecond timestamps) is stored as bigint and read back as a JS number.
// Opening, reading and the user directory live here; writing ops is postgres-push.ts, delivery
// claims postgres-claims.ts, the pool and migrations postgres-pool.ts.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseError } from 'pg';
import { purgedStreamOf } from '@shared/purge';
import { claimDelivery, settleDelivery } from './postgres-claims';
import { inTransaction, migrate, migrations, poolSize, sqlState, types } from './postgres-pool';
import { createCrossNodePokes } from './postgres-pokes';
import { createPartitioner, opsMonth, reclaimPurged, type ReclaimReport } from './postgres-partitions';
import { insertIn, writeAsService } from './postgres-push';
import {
  DuplicateUserError,
  toIdempotencyRecord,
  toOrgKey,
  toPurgedStream,
  toUser,
  type IdempotencyRow,
  type InsertStatus,
  type NewUser,
  type OrgKeyRow,
  type PurgedStreamRow,
  toSequencedOp,
  type ServiceOpRow,
  type StoredOp,
  type SyncStore,
  type UserRow,
} from './sync-store';

/** Leaves out the ops of purged streams, whose rows wait in their partition for reclaimPurged. */
const live = 'NOT EXISTS (SELECT 1 FROM purged_streams p WHERE p.stream_id = ops.stream_id)';

/** The PostgreSQL store, with what only it has: the retention reclaim of whole partitions. */
export type PostgresSyncStore = SyncStore & {
  /** Drops (or rewrites) the op log partitions of purged incidents; see reclaimPurged. */
  reclaimPurged(now?: number): Promise<ReclaimReport>;
};

export interface PostgresStoreOptions {
  /**
   * A read replica (DATABASE_READ_URL): a PostgreSQL server following the primary by streaming
   * replication. Pulls read their pages there; see readOps for how its lag is handled.
   */
  readUrl?: string;
  /** Where background failures (reclaim, partitions made ahead, a replica that cannot answer) are told; console.error by default. */
  onError?: (message: string, error: unknown) => void;
}

/** How long the replica may take to connect, and to answer one query, before the primary answers instead. */
const replicaConnectMs = 2_000;
const replicaQueryMs = 5_000;
/** How often each node reclaims purged incidents (besides at open and after a purge it received). */
const reclaimEveryMs = 3_600_000;
/** After the replica failed, pulls skip it this long. */
export const replicaRestMs = 30_000;

/** A pool whose broken idle connections are dropped quietly (queries still see their errors). */
function openPool(url: string, limits: Pick<pg.PoolConfig, 'connectionTimeoutMillis' | 'statement_timeout' | 'query_timeout'> = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, ...limits });
  // An idle connection that breaks (server restart, network) is dropped and replaced by the pool;
  // without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function openPostgresSyncStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresSyncStore> {
  const pool = openPool(url);
  const replica = options.readUrl
    ? openPool(options.readUrl, { connectionTimeoutMillis: replicaConnectMs, statement_timeout: replicaQueryMs, query_timeout: replicaQueryMs })
    : null;
  const onError = options.onError ?? ((message: string, error: unknown) => console.error(`holdfast postgres: ${message}:`, error));
  /** Until when pulls leave the replica alone (it failed). */
  let replicaRestingUntil = 0;
  try {
    await migrate(pool, migrations);
  } catch (error) {
    await pool.end().catch(() => {});
    await replica?.end().catch(() => {});
    throw error;
  }
  let closed = false;
  // The service's own device: the first node to open the database makes it, every node reads it.
  let deviceId: string;
  try {
    await pool.query('INSERT INTO service_identity (id, device_id, last_hlc) VALUES (1, $1, NULL) ON CONFLICT (id) DO NOTHING', [randomBytes(8).toString('hex')]);
    deviceId = (await pool.query<{ device_id: string }>('SELECT device_id FROM service_identity WHERE id = 1')).rows[0].device_id;
  } catch (error) {
    await pool.end().catch(() => {});
    await replica?.end().catch(() => {});
    throw error;
  }

  const partitions = createPartitioner(pool);
  const crossNodePokes = createCrossNodePokes(pool, url);
  // This month's partition and the next two, now and once a day.
  const madeAhead = () => partitions.ahead(Date.now());
  try {
    await madeAhead();
  } catch (error) {
    await crossNodePokes.close();
    await pool.end().catch(() => {});
    await replica?.end().catch(() => {});
    throw error;
  }
  const ahead = setInterval(
    () => void madeAhead().catch((error: unknown) => onError('making the op log partitions ahead failed; tried again tomorrow', error)),
    24 * 3_600_000,
  );
  ahead.unref();

  /** Runs a write once every month it touches has its partition; again if a reclaim dropped one meanwhile. */
  async function withPartitions<T>(streamIds: readonly string[], write: () => Promise<T>): Promise<T> {
    const months = new Set(streamIds.map(opsMonth));
    await partitions.ensure(months);
    try {
      return await write();
    } catch (error) {
      // 23514: no partition for the row (another node reclaimed it after we looked).
      if (sqlState(error) !== '23514') throw error;
      partitions.forget(months);
      await partitions.ensure(months);
      return write();
    }
  }

  // The purged months' partitions dropped or rewritten, one reclaim at a time, in the background:
  // at open, every hour (purges made on other nodes, a reclaim that failed) and after a push that
  // purged.
  let reclaiming: Promise<unknown> = Promise.resolve();
  const reclaim = (now: number) => {
    const run = reclaiming.then(() => reclaimPurged(pool, partitions, now));
    reclaiming = run.catch(() => undefined);
    return run;
  };
  const reclaimSoon = () => void reclaim(Date.now()).catch((error: unknown) => onError('reclaiming purged incidents failed; tried again within the hour', error));
  reclaimSoon();
  const hourly = setInterval(reclaimSoon, reclaimEveryMs);
  hourly.unref();

  async function insertOps(ops: readonly StoredOp[], receivedAt: number): Promise<InsertStatus[]> {
    if (ops.length === 0) return [];
    const statuses = await withPartitions(
      ops.map((op) => op.streamId),
      () => inTransaction(pool, (client) => insertIn(client, ops, receivedAt)),
    );
    if (ops.some((op, i) => statuses[i] === 'accepted' && op.refusal === undefined && purgedStreamOf(op) !== null)) reclaimSoon();
    return statuses;
  }

  return {
    kind: 'postgres',
    insertOps,
    // With a replica, the page is read there. The replica holds a prefix of the primary's commits,
    // and each stream is numbered gap-free in commit order, so what it returns is exactly the
    // primary's ops after `after`, perhaps fewer: it never skips one. A full page is answered as
    // it is; a short one may only mean the replica lags, so the primary's head of the stream is
    // read (one key lookup) and the ops the replica does not have yet are read from the primary.
    // A cursor therefore never passes an op, and a pull right after a push (a poke) sees it.
    async readOps(streamId, after, limit) {
      const page = async (from: pg.Pool, since: number, count: number) =>
        (
          await from.query<ServiceOpRow>(`SELECT * FROM ops WHERE month = $4 AND stream_id = $1 AND seq > $2 AND ${live} ORDER BY seq LIMIT $3`, [
            streamId,
            since,
            count,
            opsMonth(streamId),
          ])
        ).rows;
      if (!replica || Date.now() < replicaRestingUntil) return (await page(pool, after, limit)).map(toSequencedOp);
      // A replica that cannot answer (down, being rebuilt, unreachable: 2 s to connect, 5 s per
      // query) leaves the read to the primary, and pulls leave it alone for 30 s.
      const rows = await page(replica, after, limit).catch((error: unknown) => {
        replicaRestingUntil = Date.now() + replicaRestMs;
        onError(`the read replica failed; pulls read the primary for ${replicaRestMs / 1000} s`, error);
        return null;
      });
      if (rows === null) return (await page(pool, after, limit)).map(toSequencedOp);
      if (rows.length >= limit) {
        // A replica that has not replayed a purge yet still holds the purged ops: the primary's
        // record of purges (one key lookup) says whether the stream is gone.
        const purged = await pool.query('SELECT 1 FROM purged_streams WHERE stream_id = $1', [streamId]);
        return purged.rowCount === 0 ? rows.map(toSequencedOp) : [];
      }
      const head = (await pool.query<{ head: number }>('SELECT head FROM stream_heads WHERE stream_id = $1', [streamId])).rows[0]?.head ?? 0;
      // No head at the primary: the stream has no ops there (purged, or never written), whatever a lagging replica holds.
      if (head === 0) return [];
      const last = rows.at(-1)?.seq ?? after;
      const rest = head > last ? await page(pool, last, limit - rows.length) : [];
      return [...rows, ...rest].map(toSequencedOp);
    },
    async readOpsByEntity(entities, streamId) {
      const { rows } =
        streamId === undefined
          ? await pool.query<ServiceOpRow>(`SELECT * FROM ops WHERE entity = ANY($1::text[]) AND refusal IS NULL AND ${live} ORDER BY stream_id, seq`, [entities])
          : await pool.query<ServiceOpRow>(
              `SELECT * FROM ops WHERE month = $3 AND entity = ANY($1::text[]) AND stream_id = $2 AND refusal IS NULL AND ${live} ORDER BY seq`,
              [entities, streamId, opsMonth(streamId)],
            );
      return rows.map(toSequencedOp);
    },
    async knownOpIds(opIds) {
      if (opIds.length === 0) return new Set<string>();
      const { rows } = await pool.query<{ op_id: string }>(`SELECT op_id FROM ops WHERE op_id = ANY($1::text[]) AND ${live}`, [opIds]);
      return new Set(rows.map((row) => row.op_id));
    },
    async storedHashes(opIds) {
      if (opIds.length === 0) return new Map<string, string>();
      const { rows } = await pool.query<{ op_id: string; hash: string }>(`SELECT op_id, hash FROM ops WHERE op_id = ANY($1::text[]) AND ${live}`, [opIds]);
      return new Map(rows.map((row) => [row.op_id, row.hash]));
    },
    async signedSuccessors(hashes) {
      if (hashes.length === 0) return [];
      const { rows } = await pool.query<ServiceOpRow>(`SELECT * FROM ops WHERE prev_hash = ANY($1::text[]) AND sig IS NOT NULL AND ${live}`, [hashes]);
      return rows.map(toSequencedOp);
    },
    async opsOfSigners({ certIds, adoptedDevices, fromHlc }) {
      const { rows } = await pool.query<ServiceOpRow>(
        `SELECT * FROM ops WHERE hlc COLLATE "C" >= $1 AND ${live}
           AND (cert_id = ANY($2::text[]) OR (cert_id IS NULL AND device_id = ANY($3::text[])))
         ORDER BY hlc COLLATE "C", op_id`,
        [fromHlc, certIds, adoptedDevices],
      );
      return rows.map(toSequencedOp);
    },
    async refuseOps(refusals) {
      if (refusals.length === 0) return 0;
      const result = await pool.query(
        'UPDATE ops SET refusal = v.reason FROM unnest($1::text[], $2::text[]) AS v(op_id, reason) WHERE ops.op_id = v.op_id AND ops.refusal IS DISTINCT FROM v.reason',
        [refusals.map((r) => r.opId), refusals.map((r) => r.reason)],
      );
      return result.rowCount ?? 0;
    },
    async unsignedOps() {
      const { rows } = await pool.query<{ streamId: string; hash: string }>(
        `SELECT stream_id AS "streamId", hash FROM ops WHERE sig IS NULL AND ${live} ORDER BY stream_id, seq`,
      );
      return rows;
    },
    async serviceDeviceId() {
      return deviceId;
    },
    writeAsService: (write, receivedAt) =>
      withPartitions(
        write.drafts.map((draft) => draft.streamId),
        () => writeAsService(pool, write, receivedAt),
      ),
    async orgKeys() {
      const { rows } = await pool.query<OrgKeyRow>('SELECT key_id, public_key, created_at FROM org_keys ORDER BY created_at, key_id');
      return rows.map(toOrgKey);
    },
    // The table lock makes "first key" hold across nodes: the second node sees the first one's key.
    addFirstOrgKey: (key) =>
      inTransaction(pool, async (client) => {
        await client.query('LOCK TABLE org_keys IN EXCLUSIVE MODE');
        await client.query('INSERT INTO org_keys (key_id, public_key, created_at) SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM org_keys)', [
          key.keyId,
          key.publicKey,
          key.createdAt,
        ]);
        const { rows } = await client.query<OrgKeyRow>('SELECT key_id, public_key, created_at FROM org_keys ORDER BY created_at, key_id');
        return rows.map(toOrgKey);
      }),
    async addOrgKey(key) {
      await pool.query('INSERT INTO org_keys (key_id, public_key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key.keyId, key.publicKey, key.createdAt]);
      const { rows } = await pool.query<OrgKeyRow>('SELECT key_id, public_key, created_at FROM org_keys ORDER BY created_at, key_id');
      return rows.map(toOrgKey);
    },
    async idempotencyRecord(userName, key) {
      const { rows } = await pool.query<IdempotencyRow>('SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_name = $1 AND key = $2', [
        userName,
        key,
      ]);
      return rows[0] ? toIdempotencyRecord(rows[0]) : null;
    },
    async streamHeads() {
      const { rows } = await pool.query<{ streamId: string; head: number }>('SELECT stream_id AS "streamId", head FROM stream_heads ORDER BY stream_id');
      return rows;
    },
    async purgedStream(streamId) {
      const { rows } = await pool.query<PurgedStreamRow>('SELECT * FROM purged_streams WHERE stream_id = $1', [streamId]);
      return rows[0] ? toPurgedStream(rows[0]) : null;
    },
    async purgedStreams() {
      return (await pool.query<PurgedStreamRow>('SELECT * FROM purged_streams ORDER BY recorded_at, stream_id')).rows.map(toPurgedStream);
    },
    async addUser(user: NewUser) {
      try {
        const { rows } = await pool.query<UserRow>('INSERT INTO users (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *', [
          user.name,
          user.role,
          user.tokenHash,
          user.createdAt,
        ]);
        return toUser(rows[0]);
      } catch (error) {
        if (sqlState(error) === '23505' && (error as DatabaseError).constraint === 'users_active_name') {
          throw new DuplicateUserError(`a user named "${user.name}" already exists`);
        }
        throw error;
      }
    },
    async userByTokenHash(tokenHash) {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
      return rows[0] ? toUser(rows[0]) : null;
    },
    async userByName(name) {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE name = $1 AND revoked_at IS NULL', [name]);
      return rows[0] ? toUser(rows[0]) : null;
    },
    async listUsers() {
      return (await pool.query<UserRow>('SELECT * FROM users ORDER BY name, id')).rows.map(toUser);
    },
    async revokeUser(name, at) {
      const result = await pool.query('UPDATE users SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [at, name]);
      return (result.rowCount ?? 0) > 0;
    },
    claimDelivery: (key, holder, leaseMs, now) => claimDelivery(pool, key, holder, leaseMs, now),
    settleDelivery: (key, holder, outcome, now) => settleDelivery(pool, key, holder, outcome, now),
    async ping() {
      await pool.query('SELECT 1');
    },
    crossNodePokes,
    reclaimPurged: (now = Date.now()) => reclaim(now),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ahead);
      clearInterval(hourly);
      await reclaiming;
      await replica?.end();
      await crossNodePokes.close();
      await pool.end();
    },
  };
}
