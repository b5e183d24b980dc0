// SyncStore on PostgreSQL (DATABASE_URL): several service nodes can share one database. Every
// number (seqs, ids, millisecond timestamps) is stored as bigint and read back as a JS number.
// Opening, reading and the user directory live here; writing ops is postgres-push.ts, delivery
// claims postgres-claims.ts, the pool and migrations postgres-pool.ts.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseError } from 'pg';
import { claimDelivery, settleDelivery } from './postgres-claims';
import { inTransaction, migrate, migrations, poolSize, sqlState, types } from './postgres-pool';
import { createCrossNodePokes } from './postgres-pokes';
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

  const crossNodePokes = createCrossNodePokes(pool, url);

  async function insertOps(ops: readonly StoredOp[], receivedAt: number): Promise<InsertStatus[]> {
    if (ops.length === 0) return [];
    return inTransaction(pool, (client) => insertIn(client, ops, receivedAt));
  }

  return {
    kind: 'postgres',
    insertOps,
    async readOps(streamId, after, limit) {
      const { rows } = await pool.query<ServiceOpRow>('SELECT * FROM ops WHERE stream_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [streamId, after, limit]);
      return rows.map(toSequencedOp);
    },
    async readOpsByEntity(entities, streamId) {
      const { rows } =
        streamId === undefined
          ? await pool.query<ServiceOpRow>('SELECT * FROM ops WHERE entity = ANY($1::text[]) AND seq IS NOT NULL AND refusal IS NULL ORDER BY stream_id, seq', [entities])
          : await pool.query<ServiceOpRow>('SELECT * FROM ops WHERE entity = ANY($1::text[]) AND stream_id = $2 AND seq IS NOT NULL AND refusal IS NULL ORDER BY seq', [
              entities,
              streamId,
            ]);
      return rows.map(toSequencedOp);
    },
    async knownOpIds(opIds) {
      if (opIds.length === 0) return new Set<string>();
      const { rows } = await pool.query<{ op_id: string }>('SELECT op_id FROM ops WHERE op_id = ANY($1::text[])', [opIds]);
      return new Set(rows.map((row) => row.op_id));
    },
    async storedHashes(opIds) {
      if (opIds.length === 0) return new Map<string, string>();
      const { rows } = await pool.query<{ op_id: string; hash: string }>('SELECT op_id, hash FROM ops WHERE op_id = ANY($1::text[]) AND seq IS NOT NULL', [opIds]);
      return new Map(rows.map((row) => [row.op_id, row.hash]));
    },
    async signedSuccessors(hashes) {
      if (hashes.length === 0) return [];
      const { rows } = await pool.query<ServiceOpRow>('SELECT * FROM ops WHERE prev_hash = ANY($1::text[]) AND sig IS NOT NULL AND seq IS NOT NULL', [hashes]);
      return rows.map(toSequencedOp);
    },
    async opsOfSigners({ certIds, adoptedDevices, fromHlc }) {
      const { rows } = await pool.query<ServiceOpRow>(
        `SELECT * FROM ops WHERE seq IS NOT NULL AND hlc COLLATE "C" >= $1
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
        'SELECT stream_id AS "streamId", hash FROM ops WHERE sig IS NULL AND seq IS NOT NULL ORDER BY stream_id, seq',
      );
      return rows;
    },
    async serviceDeviceId() {
      return deviceId;
    },
    writeAsService: (write, receivedAt) => writeAsService(pool, write, receivedAt),
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
    async close() {
      if (closed) return;
      closed = true;
      await crossNodePokes.close();
      await pool.end();
    },
  };
}
