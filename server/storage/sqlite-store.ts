// SyncStore on a SQLite file: the embedded default for one service node.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '@shared/canonical';
import type { OrgKey } from '@shared/trust/types';
import { migrate, parseMigrationFiles } from '@shared/node/migrations';
import { createPrivateFile, ensurePrivateDir, keepPrivate } from '@shared/node/private-files';
import { sqliteDeliveryClaims } from '@shared/node/sqlite-claims';
import { incidentOfStream } from '@shared/entities';
import {
  acceptedHeads,
  DuplicateUserError,
  planPush,
  stampServiceOps,
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
  type ServiceWrite,
  type ServiceWriteOutcome,
  type SyncStore,
  type UserRow,
} from './sync-store';

const migrations = parseMigrationFiles(import.meta.glob<string>('./migrations/sqlite/*.sql', { query: '?raw', import: 'default', eager: true }));

export function openSqliteSyncStore(dataDir: string): SyncStore {
  // The service's folder 0700 and its database, WAL and shared memory 0600, whatever the umask.
  ensurePrivateDir(dataDir);
  const file = join(dataDir, 'holdfast-server.db');
  createPrivateFile(file);
  keepPrivate(`${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  migrate(db, migrations);

  const insertOp =
    db.prepare(`INSERT INTO ops (op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, cert_id, sig, refusal)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING`);
  const headOf = db.prepare('SELECT head FROM stream_heads WHERE stream_id = ?').pluck();
  const setHead = db.prepare(`INSERT INTO stream_heads (stream_id, head) VALUES (?, ?)
    ON CONFLICT (stream_id) DO UPDATE SET head = excluded.head`);
  const read = db.prepare('SELECT * FROM ops WHERE stream_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  const heads = db.prepare('SELECT stream_id AS streamId, head FROM stream_heads ORDER BY stream_id');
  const purgedRow = db.prepare('SELECT * FROM purged_streams WHERE stream_id = ?');
  const purgedRows = db.prepare('SELECT * FROM purged_streams ORDER BY recorded_at, stream_id');
  const deleteOps = db.prepare('DELETE FROM ops WHERE stream_id = ?');
  const deleteHead = db.prepare('DELETE FROM stream_heads WHERE stream_id = ?');
  const recordPurge = db.prepare(`INSERT INTO purged_streams (stream_id, incident_id, purge_op_id, purged_at, recorded_at, deleted_ops)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const deleteServiceHead = db.prepare('DELETE FROM service_chain_heads WHERE stream_id = ?');
  // Entities (and ids) are passed as one JSON array, so one prepared statement serves any number.
  const byEntity = db.prepare('SELECT * FROM ops INDEXED BY ops_by_entity WHERE entity IN (SELECT value FROM json_each(?)) AND refusal IS NULL ORDER BY stream_id, seq');
  const byEntityIn = db.prepare(
    'SELECT * FROM ops INDEXED BY ops_by_entity WHERE entity IN (SELECT value FROM json_each(?)) AND stream_id = ? AND refusal IS NULL ORDER BY seq',
  );
  const known = db.prepare('SELECT op_id FROM ops WHERE op_id IN (SELECT value FROM json_each(?))').pluck();
  const successors = db.prepare('SELECT * FROM ops WHERE prev_hash IN (SELECT value FROM json_each(?)) AND sig IS NOT NULL');
  const hashes = db.prepare('SELECT op_id, hash FROM ops WHERE op_id IN (SELECT value FROM json_each(?))');
  const ofSigners = db.prepare(`SELECT * FROM ops WHERE hlc >= ?
    AND (cert_id IN (SELECT value FROM json_each(?)) OR (cert_id IS NULL AND device_id IN (SELECT value FROM json_each(?))))
    ORDER BY hlc, op_id`);
  const refuse = db.prepare('UPDATE ops SET refusal = ? WHERE op_id = ? AND refusal IS NOT ?');
  const refuseAll = db.transaction((refusals: readonly { opId: string; reason: string }[]) =>
    refusals.reduce((changed, { opId, reason }) => changed + refuse.run(reason, opId, reason).changes, 0),
  );
  const unsigned = db.prepare('SELECT stream_id AS streamId, hash FROM ops WHERE sig IS NULL ORDER BY stream_id, seq');

  // The service's own device, made on first open.
  db.prepare('INSERT INTO service_identity (id, device_id, last_hlc) VALUES (1, ?, NULL) ON CONFLICT (id) DO NOTHING').run(randomBytes(8).toString('hex'));
  const identity = db.prepare('SELECT device_id AS deviceId, last_hlc AS lastHlc FROM service_identity WHERE id = 1');
  const setLastHlc = db.prepare('UPDATE service_identity SET last_hlc = ? WHERE id = 1');
  const serviceHead = db.prepare('SELECT hash FROM service_chain_heads WHERE stream_id = ?').pluck();
  const setServiceHead = db.prepare('INSERT INTO service_chain_heads (stream_id, hash) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET hash = excluded.hash');
  const idempotencyRow = db.prepare('SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_name = ? AND key = ?');
  const keepIdempotency = db.prepare(`INSERT INTO idempotency_keys (user_name, key, fingerprint, status, body, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`);

  // One writer at a time (SQLite), so the heads read at the start of the transaction stay ours:
  // each op is inserted with the next seq, which is spent only if the insert happened.
  const insertAll = db.transaction((ops: readonly StoredOp[], receivedAt: number) => {
    const { gone, purges } = planPush(ops, (streamId) => purgedRow.get(streamId) !== undefined);
    const heads = new Map<string, number>();
    const results = ops.map((op, index): InsertStatus => {
      if (gone[index]) return 'gone';
      const head = heads.get(op.streamId) ?? (headOf.get(op.streamId) as number | undefined) ?? 0;
      const fields = canonicalJson(op.fields);
      const { changes } = insertOp.run(
        op.opId,
        op.streamId,
        head + 1,
        op.hlc,
        op.actorId,
        op.deviceId,
        op.entity,
        op.rowId,
        op.kind,
        fields,
        op.prevHash,
        op.hash,
        receivedAt,
        op.certId ?? null,
        op.sig ?? null,
        op.refusal ?? null,
      );
      heads.set(op.streamId, head + changes);
      return changes === 1 ? 'accepted' : 'duplicate';
    });
    for (const [streamId, head] of heads) if (head > 0) setHead.run(streamId, head);
    if (purges.size > 0) {
      // Deleted content is overwritten, so the incident does not linger in free pages of the file.
      const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        for (const [streamId, purge] of purges) {
          const deleted = deleteOps.run(streamId).changes;
          deleteHead.run(streamId);
          deleteServiceHead.run(streamId);
          recordPurge.run(streamId, incidentOfStream(streamId), purge.opId, purge.fields.purgedAt, receivedAt, deleted);
        }
      } finally {
        db.pragma(`secure_delete = ${secureDelete === 2 ? 'FAST' : secureDelete}`);
      }
    }
    return results;
  });

  // One writer at a time, so the service's clock and chain heads read here stay ours until commit.
  const writeService = db.transaction((write: ServiceWrite, receivedAt: number): ServiceWriteOutcome => {
    const { idempotency } = write;
    if (idempotency) {
      const row = idempotencyRow.get(idempotency.userName, idempotency.key) as IdempotencyRow | undefined;
      if (row) {
        const record = toIdempotencyRecord(row);
        return record.fingerprint === idempotency.fingerprint ? { outcome: 'replayed', reply: record.reply } : { outcome: 'conflict', recordedAt: record.recordedAt };
      }
    }
    const self = identity.get() as { deviceId: string; lastHlc: string | null };
    const heads = new Map<string, string>();
    for (const { streamId } of write.drafts) {
      const hash = serviceHead.get(streamId) as string | undefined;
      if (hash) heads.set(streamId, hash);
    }
    const { ops, lastHlc } = stampServiceOps(write.drafts, self, heads, receivedAt, write.signer);
    const statuses = ops.length > 0 ? insertAll(ops, receivedAt) : [];
    for (const [streamId, hash] of acceptedHeads(ops, statuses)) setServiceHead.run(streamId, hash);
    if (lastHlc !== self.lastHlc) setLastHlc.run(lastHlc);
    const reply = write.reply(statuses);
    if (idempotency && reply.status < 400) {
      keepIdempotency.run(idempotency.userName, idempotency.key, idempotency.fingerprint, reply.status, canonicalJson(reply.body), receivedAt);
    }
    return { outcome: 'written', reply, ops: ops.filter((_, i) => statuses[i] === 'accepted'), statuses };
  });

  const claims = sqliteDeliveryClaims(db, 'outbox_claims');
  const orgKeyRows = db.prepare('SELECT key_id, public_key, created_at FROM org_keys ORDER BY created_at, key_id');
  const addFirstOrgKey = db.transaction((key: OrgKey) => {
    if ((orgKeyRows.all() as OrgKeyRow[]).length === 0) {
      db.prepare('INSERT INTO org_keys (key_id, public_key, created_at) VALUES (?, ?, ?)').run(key.keyId, key.publicKey, key.createdAt);
    }
    return (orgKeyRows.all() as OrgKeyRow[]).map(toOrgKey);
  });

  return {
    kind: 'sqlite',
    async insertOps(ops, receivedAt) {
      return insertAll(ops, receivedAt);
    },
    async readOps(streamId, after, limit) {
      return (read.all(streamId, after, limit) as ServiceOpRow[]).map(toSequencedOp);
    },
    async readOpsByEntity(entities, streamId) {
      const list = JSON.stringify(entities);
      const rows = (streamId === undefined ? byEntity.all(list) : byEntityIn.all(list, streamId)) as ServiceOpRow[];
      return rows.map(toSequencedOp);
    },
    async knownOpIds(opIds) {
      return new Set(opIds.length === 0 ? [] : (known.all(JSON.stringify(opIds)) as string[]));
    },
    async storedHashes(opIds) {
      const rows = opIds.length === 0 ? [] : (hashes.all(JSON.stringify(opIds)) as { op_id: string; hash: string }[]);
      return new Map(rows.map((row) => [row.op_id, row.hash]));
    },
    async signedSuccessors(prevHashes) {
      return prevHashes.length === 0 ? [] : (successors.all(JSON.stringify(prevHashes)) as ServiceOpRow[]).map(toSequencedOp);
    },
    async opsOfSigners({ certIds, adoptedDevices, fromHlc }) {
      return (ofSigners.all(fromHlc, JSON.stringify(certIds), JSON.stringify(adoptedDevices)) as ServiceOpRow[]).map(toSequencedOp);
    },
    async refuseOps(refusals) {
      return refusals.length === 0 ? 0 : refuseAll.immediate(refusals);
    },
    async unsignedOps() {
      return unsigned.all() as { streamId: string; hash: string }[];
    },
    async streamHeads() {
      return heads.all() as { streamId: string; head: number }[];
    },
    async serviceDeviceId() {
      return (identity.get() as { deviceId: string }).deviceId;
    },
    async writeAsService(write, receivedAt) {
      return writeService.immediate(write, receivedAt);
    },
    async orgKeys() {
      return (orgKeyRows.all() as OrgKeyRow[]).map(toOrgKey);
    },
    async addFirstOrgKey(key) {
      return addFirstOrgKey.immediate(key);
    },
    async addOrgKey(key) {
      db.prepare('INSERT OR IGNORE INTO org_keys (key_id, public_key, created_at) VALUES (?, ?, ?)').run(key.keyId, key.publicKey, key.createdAt);
      return (orgKeyRows.all() as OrgKeyRow[]).map(toOrgKey);
    },
    async idempotencyRecord(userName, key) {
      const row = idempotencyRow.get(userName, key) as IdempotencyRow | undefined;
      return row ? toIdempotencyRecord(row) : null;
    },
    async purgedStream(streamId) {
      const row = purgedRow.get(streamId) as PurgedStreamRow | undefined;
      return row ? toPurgedStream(row) : null;
    },
    async purgedStreams() {
      return (purgedRows.all() as PurgedStreamRow[]).map(toPurgedStream);
    },
    async addUser(user: NewUser) {
      try {
        const id = db
          .prepare('INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)')
          .run(user.name, user.role, user.tokenHash, user.createdAt).lastInsertRowid;
        return toUser(db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
      } catch (error) {
        if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new DuplicateUserError(`a user named "${user.name}" already exists`);
        throw error;
      }
    },
    async userByTokenHash(tokenHash) {
      const row = db.prepare('SELECT * FROM users WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async userByName(name) {
      const row = db.prepare('SELECT * FROM users WHERE name = ? AND revoked_at IS NULL').get(name) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async listUsers() {
      return (db.prepare('SELECT * FROM users ORDER BY name, id').all() as UserRow[]).map(toUser);
    },
    async revokeUser(name, at) {
      return db.prepare('UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(at, name).changes > 0;
    },
    async claimDelivery(key, holder, leaseMs, now) {
      return claims.claim(key, holder, leaseMs, now);
    },
    async settleDelivery(key, holder, outcome, now) {
      return claims.settle(key, holder, outcome, now);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
