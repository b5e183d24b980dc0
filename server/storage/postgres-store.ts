// SyncStore on PostgreSQL (DATABASE_URL): several service nodes can share one database. Every
// number (seqs, ids, millisecond timestamps) is stored as bigint and read back as a JS number.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CustomTypesConfig, DatabaseError, PoolClient } from 'pg';
import { canonicalJson } from '../../shared/canonical';
import type { Op } from '../../shared/ops';
import { checkApplied, checksum, parseMigrationFiles, type Migration } from '../../shared/node/migrations';
import { toOp, type OpRow } from '../../shared/node/op-rows';
import { incidentOfStream } from '../../shared/entities';
import { purgedStreamOf } from '../../shared/purge';
import {
  acceptedHeads,
  decideClaim,
  decideSettle,
  DuplicateUserError,
  planPush,
  stampServiceOps,
  toDeliveryClaim,
  toIdempotencyRecord,
  toPurgedStream,
  toUser,
  type ClaimRow,
  type DeliveryClaim,
  type IdempotencyRow,
  type InsertStatus,
  type NewUser,
  type PurgedStreamRow,
  type SequencedOp,
  type ServiceWrite,
  type ServiceWriteOutcome,
  type SyncStore,
  type UserRow,
} from './sync-store';

const migrations = parseMigrationFiles(
  import.meta.glob<string>('./migrations/postgres/*.sql', { query: '?raw', import: 'default', eager: true }),
);

/** Held (per transaction) while migrating, so nodes starting together on one database take turns. */
const migrationLockKey = 0x486f6c64_6d6967n; // "Holdmig"

const poolSize = 10;
const maxAttempts = 5;

const int8Oid = pg.types.builtins.INT8;

/** bigint columns arrive as text; every one of ours fits a JS number, and we refuse one that does not. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JS number`);
  return value;
}

/** Per-pool type parsers, so this does not change pg's global ones for anyone else in the process. */
const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};




const sqlState = (error: unknown): string | undefined => (error as Partial<DatabaseError> | null)?.code;

/** Deadlock detected, serialization failure: the transaction was rolled back and may simply be run again. */
const isRetryable = (error: unknown) => ['40P01', '40001'].includes(sqlState(error) ?? '');

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function inTransaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: the pool discards it below
      });
      if (isRetryable(error) && attempt < maxAttempts) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Brings the database up to the newest migration, one node at a time; returns the schema version. */
async function migrate(pool: pg.Pool, bundled: Migration[]): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const applied = (await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    )).rows;

    checkApplied(applied, bundled, 'Upgrade every service node, or point DATABASE_URL at a different database.');
    for (const migration of bundled.slice(applied.length)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        checksum(migration.sql),
        Date.now(),
      ]);
    }
    return bundled.at(-1)?.version ?? 0;
  });
}

// Step 0 of a push: the stream locks it needs, one per key, in key order (a transaction-level
// advisory lock in the two-key space, so it never meets the migration lock's single-key one).
const streamLockClass = 0x48667374; // "Hfst"
const lockKeysSql = `
  SELECT hashtext(t.stream_id) AS key, bool_or(t.exclusive) AS exclusive
  FROM unnest($1::text[], $2::boolean[]) AS t(stream_id, exclusive)
  GROUP BY 1 ORDER BY 1`;

// Step 1 of a push: insert the new ops without a seq. ON CONFLICT DO NOTHING skips a known opId
// without spending a number; one being inserted by a transaction still open makes this wait until
// that one ends, then skip it (or insert it, if that one rolled back). RETURNING names the new ones.
const insertOpsSql = `
  INSERT INTO ops (op_id, stream_id, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at)
  SELECT t.op_id, t.stream_id, t.hlc, t.actor_id, t.device_id, t.entity, t.row_id, t.kind, t.fields, t.prev_hash, t.hash, $12::bigint
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
    WITH ORDINALITY AS t(op_id, stream_id, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, ord)
  ORDER BY t.ord
  ON CONFLICT (op_id) DO NOTHING
  RETURNING op_id`;

// Step 2: move each stream's head past its new ops. The head row stays locked until commit, so
// the writers of one stream take turns and its numbers are handed out in commit order.
const bumpHeadsSql = `
  INSERT INTO stream_heads AS h (stream_id, head)
  SELECT t.stream_id, t.added FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS t(stream_id, added, ord)
  ORDER BY t.ord
  ON CONFLICT (stream_id) DO UPDATE SET head = h.head + EXCLUDED.head
  RETURNING stream_id, head`;

// Step 3: give the new ops their numbers.
const numberOpsSql = `
  UPDATE ops SET seq = v.seq
  FROM unnest($1::text[], $2::bigint[]) AS v(op_id, seq)
  WHERE ops.op_id = v.op_id AND ops.seq IS NULL`;

// Delivery claims: the first claim of a key inserts its row; ON CONFLICT DO NOTHING makes a
// concurrent first claim (on this node or another) wait for that insert to commit and then skip it.
const insertClaimSql = `
  INSERT INTO outbox_claims (key, holder, lease_until, state, previous_holder, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (key) DO NOTHING
  RETURNING key`;

// Any other claim or settle locks the row first, so the claims of one key take turns: each sees
// the row as the one before it left it, and decides (decideClaim, decideSettle) on that.
const lockClaimSql = 'SELECT holder, lease_until, state, previous_holder, updated_at FROM outbox_claims WHERE key = $1 FOR UPDATE';

const updateClaimSql = `
  UPDATE outbox_claims SET holder = $2, lease_until = $3, state = $4, previous_holder = $5, updated_at = $6
  WHERE key = $1`;

const claimValues = (key: string, claim: DeliveryClaim) => [key, claim.holder, claim.leaseUntil, claim.state, claim.previousHolder, claim.updatedAt];

export async function openPostgresSyncStore(url: string): Promise<SyncStore> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle connection that breaks (server restart, network) is dropped and replaced by the pool;
  // without a listener the 'error' event would crash the process. Queries still see their errors.
  pool.on('error', () => {});
  try {
    await migrate(pool, migrations);
  } catch (error) {
    await pool.end().catch(() => {});
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
    throw error;
  }

  async function insertOps(ops: Op[], receivedAt: number): Promise<InsertStatus[]> {
    if (ops.length === 0) return [];
    return inTransaction(pool, (client) => insertIn(client, ops, receivedAt));
  }

  /** insertOps inside a transaction the caller holds (a push's own, or a service write's). */
  async function insertIn(client: PoolClient, ops: Op[], receivedAt: number): Promise<InsertStatus[]> {
    // The first copy of an opId in a push is the candidate; later copies are duplicates of it.
    const firstIndex = new Map<string, number>();
    ops.forEach((op, index) => {
      if (!firstIndex.has(op.opId)) firstIndex.set(op.opId, index);
    });
    // The streams this push writes (shared locks) and those its purge records remove (exclusive).
    const written = new Set(ops.map((op) => op.streamId));
    const removed = new Set(ops.map(purgedStreamOf).filter((streamId): streamId is string => streamId !== null));
    const lockStreams = [...new Set([...written, ...removed])];

    // Locks are always taken in one global order, so concurrent pushes cannot deadlock: stream
    // locks first (by key), then opIds (sorted), then stream heads (sorted), never an opId while
    // holding a head. A stream lock held shared by every push writing the stream and exclusive
    // by one purging it means a purge sees every op committed before it, and a push after it
    // sees the purge.
    const keys = await client.query<{ key: number; exclusive: boolean }>(lockKeysSql, [lockStreams, lockStreams.map((streamId) => removed.has(streamId))]);
    for (const { key, exclusive } of keys.rows) {
      await client.query(exclusive ? 'SELECT pg_advisory_xact_lock($1, $2)' : 'SELECT pg_advisory_xact_lock_shared($1, $2)', [streamLockClass, key]);
    }
    const purgedBefore = new Set(
      (await client.query<{ stream_id: string }>('SELECT stream_id FROM purged_streams WHERE stream_id = ANY($1::text[])', [lockStreams])).rows.map((row) => row.stream_id),
    );
    const { gone, purges } = planPush(ops, (streamId) => purgedBefore.has(streamId));
    const candidates = [...firstIndex.values()].filter((index) => !gone[index]).map((index) => ops[index]);
    const isNew = candidates.length > 0 ? await insertNew(client, candidates, receivedAt) : new Set<string>();
    for (const [streamId, purge] of [...purges].sort(([a], [b]) => byText(a, b))) {
      const deleted = await client.query('DELETE FROM ops WHERE stream_id = $1', [streamId]);
      await client.query('DELETE FROM stream_heads WHERE stream_id = $1', [streamId]);
      await client.query('DELETE FROM service_chain_heads WHERE stream_id = $1', [streamId]);
      await client.query(
        `INSERT INTO purged_streams (stream_id, incident_id, purge_op_id, purged_at, recorded_at, deleted_ops)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [streamId, incidentOfStream(streamId), purge.opId, purge.fields.purgedAt as number, receivedAt, deleted.rowCount ?? 0],
      );
    }

    return ops.map((op, index): InsertStatus =>
      gone[index] ? 'gone' : firstIndex.get(op.opId) === index && isNew.has(op.opId) ? 'accepted' : 'duplicate',
    );
  }

  /** Inserts and numbers the ops not yet stored (candidates: one copy per opId); returns their opIds. */
  async function insertNew(client: PoolClient, candidates: Op[], receivedAt: number): Promise<Set<string>> {
    const byOpId = [...candidates].sort((a, b) => byText(a.opId, b.opId));
    const column = (pick: (op: Op) => string) => byOpId.map(pick);
    const { rows } = await client.query<{ op_id: string }>(insertOpsSql, [
      column((op) => op.opId),
      column((op) => op.streamId),
      column((op) => op.hlc),
      column((op) => op.actorId),
      column((op) => op.deviceId),
      column((op) => op.entity),
      column((op) => op.rowId),
      column((op) => op.kind),
      column((op) => canonicalJson(op.fields)),
      column((op) => op.prevHash),
      column((op) => op.hash),
      receivedAt,
    ]);
    const isNew = new Set(rows.map((row) => row.op_id));
    if (isNew.size === 0) return isNew;

    // New ops per stream, in input order: that is the order they are numbered in.
    const newByStream = new Map<string, Op[]>();
    for (const op of candidates) {
      if (!isNew.has(op.opId)) continue;
      const list = newByStream.get(op.streamId);
      if (list) list.push(op);
      else newByStream.set(op.streamId, [op]);
    }
    const streams = [...newByStream.keys()].sort(byText);
    const heads = await client.query<{ stream_id: string; head: number }>(bumpHeadsSql, [
      streams,
      streams.map((streamId) => newByStream.get(streamId)!.length),
    ]);
    const opIds: string[] = [];
    const seqs: number[] = [];
    for (const { stream_id: streamId, head } of heads.rows) {
      const list = newByStream.get(streamId)!;
      list.forEach((op, i) => {
        opIds.push(op.opId);
        seqs.push(head - list.length + 1 + i);
      });
    }
    const numbered = await client.query(numberOpsSql, [opIds, seqs]);
    if (heads.rowCount !== streams.length || numbered.rowCount !== isNew.size) {
      throw new Error(`insertOps: numbered ${numbered.rowCount} of ${isNew.size} new ops in ${heads.rowCount} of ${streams.length} streams`);
    }
    return isNew;
  }

  // Service writes: the identity row locked first (FOR UPDATE), so they take turns across nodes;
  // then what a push takes (stream locks, opIds, heads). A push never waits for the identity row,
  // so the order stays global.
  async function writeAsService(write: ServiceWrite, receivedAt: number): Promise<ServiceWriteOutcome> {
    return inTransaction(pool, async (client): Promise<ServiceWriteOutcome> => {
      const self = (await client.query<{ deviceId: string; lastHlc: string | null }>(
        'SELECT device_id AS "deviceId", last_hlc AS "lastHlc" FROM service_identity WHERE id = 1 FOR UPDATE',
      )).rows[0];
      if (!self) throw new Error('service_identity has no row: the store was not opened properly');
      const { idempotency } = write;
      if (idempotency) {
        const row = (await client.query<IdempotencyRow>('SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_name = $1 AND key = $2', [
          idempotency.userName,
          idempotency.key,
        ])).rows[0];
        if (row) {
          const record = toIdempotencyRecord(row);
          return record.fingerprint === idempotency.fingerprint ? { outcome: 'replayed', reply: record.reply } : { outcome: 'conflict', recordedAt: record.recordedAt };
        }
      }
      const streams = [...new Set(write.drafts.map((draft) => draft.streamId))];
      const heads = new Map(
        (await client.query<{ stream_id: string; hash: string }>('SELECT stream_id, hash FROM service_chain_heads WHERE stream_id = ANY($1::text[])', [streams])).rows.map(
          (row) => [row.stream_id, row.hash],
        ),
      );
      const { ops, lastHlc } = stampServiceOps(write.drafts, self, heads, receivedAt);
      const statuses = ops.length > 0 ? await insertIn(client, ops, receivedAt) : [];
      for (const [streamId, hash] of [...acceptedHeads(ops, statuses)].sort(([a], [b]) => byText(a, b))) {
        await client.query(
          'INSERT INTO service_chain_heads (stream_id, hash) VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET hash = EXCLUDED.hash',
          [streamId, hash],
        );
      }
      if (lastHlc !== self.lastHlc) await client.query('UPDATE service_identity SET last_hlc = $1 WHERE id = 1', [lastHlc]);
      const reply = write.reply(statuses);
      if (idempotency && reply.status < 400) {
        await client.query('INSERT INTO idempotency_keys (user_name, key, fingerprint, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          idempotency.userName,
          idempotency.key,
          idempotency.fingerprint,
          reply.status,
          canonicalJson(reply.body),
          receivedAt,
        ]);
      }
      return { outcome: 'written', reply, ops: ops.filter((_, i) => statuses[i] === 'accepted'), statuses };
    });
  }

  async function lockedClaim(client: PoolClient, key: string): Promise<DeliveryClaim | null> {
    const { rows } = await client.query<ClaimRow>(lockClaimSql, [key]);
    return rows[0] ? toDeliveryClaim(rows[0]) : null;
  }

  async function writeClaim(client: PoolClient, key: string, next: DeliveryClaim | null): Promise<void> {
    if (!next) return;
    const { rowCount } = await client.query(updateClaimSql, claimValues(key, next));
    if (rowCount !== 1) throw new Error(`claims: the row of ${key} was not there to update`);
  }

  return {
    kind: 'postgres',
    insertOps,
    async readOps(streamId, after, limit) {
      const { rows } = await pool.query<OpRow>('SELECT * FROM ops WHERE stream_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
        streamId,
        after,
        limit,
      ]);
      return rows.map(
        (row): SequencedOp => ({ ...toOp(row), seq: row.seq }),
      );
    },
    async readOpsByEntity(entities, streamId) {
      const { rows } =
        streamId === undefined
          ? await pool.query<OpRow>('SELECT * FROM ops WHERE entity = ANY($1::text[]) AND seq IS NOT NULL ORDER BY stream_id, seq', [entities])
          : await pool.query<OpRow>('SELECT * FROM ops WHERE entity = ANY($1::text[]) AND stream_id = $2 AND seq IS NOT NULL ORDER BY seq', [entities, streamId]);
      return rows.map((row): SequencedOp => ({ ...toOp(row), seq: row.seq }));
    },
    async knownOpIds(opIds) {
      if (opIds.length === 0) return new Set<string>();
      const { rows } = await pool.query<{ op_id: string }>('SELECT op_id FROM ops WHERE op_id = ANY($1::text[])', [opIds]);
      return new Set(rows.map((row) => row.op_id));
    },
    async serviceDeviceId() {
      return deviceId;
    },
    writeAsService,
    async idempotencyRecord(userName, key) {
      const { rows } = await pool.query<IdempotencyRow>('SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_name = $1 AND key = $2', [userName, key]);
      return rows[0] ? toIdempotencyRecord(rows[0]) : null;
    },
    async streamHeads() {
      const { rows } = await pool.query<{ streamId: string; head: number }>(
        'SELECT stream_id AS "streamId", head FROM stream_heads ORDER BY stream_id',
      );
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
        const { rows } = await pool.query<UserRow>(
          'INSERT INTO users (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
          [user.name, user.role, user.tokenHash, user.createdAt],
        );
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
    async claimAlias(deviceId, alias, userName, at) {
      await pool.query(
        'INSERT INTO device_aliases (device_id, alias, user_name, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [deviceId, alias, userName, at],
      );
      const { rows } = await pool.query<{ user_name: string }>('SELECT user_name FROM device_aliases WHERE device_id = $1 AND alias = $2', [deviceId, alias]);
      return rows[0].user_name;
    },
    async aliasOwner(deviceId, alias) {
      const { rows } = await pool.query<{ user_name: string }>('SELECT user_name FROM device_aliases WHERE device_id = $1 AND alias = $2', [deviceId, alias]);
      return rows[0]?.user_name ?? null;
    },
    async claimDelivery(key, holder, leaseMs, now) {
      return inTransaction(pool, async (client) => {
        const fresh = decideClaim(null, holder, leaseMs, now);
        const inserted = await client.query(insertClaimSql, claimValues(key, fresh.next!));
        if (inserted.rowCount === 1) return fresh.response;
        const { response, next } = decideClaim(await lockedClaim(client, key), holder, leaseMs, now);
        await writeClaim(client, key, next);
        return response;
      });
    },
    async settleDelivery(key, holder, outcome, now) {
      return inTransaction(pool, async (client) => {
        const { response, next } = decideSettle(await lockedClaim(client, key), key, holder, outcome, now);
        await writeClaim(client, key, next);
        return response;
      });
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
