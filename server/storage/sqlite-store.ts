// SyncStore on a SQLite file: the embedded default for one service node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../../shared/canonical';
import type { Op } from '../../shared/ops';
import { migrate, parseMigrationFiles } from '../../electron/engine/migrations';
import { toOp, type OpRow } from '../../electron/engine/op-log';
import { sqliteDeliveryClaims } from '../../electron/engine/comms/sqlite-claims';
import { incidentOfStream } from '../../shared/entities';
import {
  DuplicateUserError,
  planPush,
  toPurgedStream,
  toUser,
  type InsertStatus,
  type NewUser,
  type PurgedStreamRow,
  type SequencedOp,
  type SyncStore,
  type UserRow,
} from './sync-store';

const migrations = parseMigrationFiles(
  import.meta.glob<string>('./migrations/sqlite/*.sql', { query: '?raw', import: 'default', eager: true }),
);




export function openSqliteSyncStore(dataDir: string): SyncStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'holdfast-server.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  migrate(db, migrations);

  const insertOp = db.prepare(`INSERT INTO ops (op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING`);
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

  // One writer at a time (SQLite), so the heads read at the start of the transaction stay ours:
  // each op is inserted with the next seq, which is spent only if the insert happened.
  const insertAll = db.transaction((ops: Op[], receivedAt: number) => {
    const { gone, purges } = planPush(ops, (streamId) => purgedRow.get(streamId) !== undefined);
    const heads = new Map<string, number>();
    const results = ops.map((op, index): InsertStatus => {
      if (gone[index]) return 'gone';
      const head = heads.get(op.streamId) ?? ((headOf.get(op.streamId) as number | undefined) ?? 0);
      const fields = canonicalJson(op.fields);
      const { changes } = insertOp.run(op.opId, op.streamId, head + 1, op.hlc, op.actorId, op.deviceId, op.entity, op.rowId, op.kind, fields, op.prevHash, op.hash, receivedAt);
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
          recordPurge.run(streamId, incidentOfStream(streamId), purge.opId, purge.fields.purgedAt as number, receivedAt, deleted);
        }
      } finally {
        db.pragma(`secure_delete = ${secureDelete === 2 ? 'FAST' : secureDelete}`);
      }
    }
    return results;
  });

  const claims = sqliteDeliveryClaims(db, 'outbox_claims');

  return {
    kind: 'sqlite',
    async insertOps(ops, receivedAt) {
      return insertAll(ops, receivedAt);
    },
    async readOps(streamId, after, limit) {
      return (read.all(streamId, after, limit) as OpRow[]).map(
        (row): SequencedOp => ({ ...toOp(row), seq: row.seq }),
      );
    },
    async streamHeads() {
      return heads.all() as { streamId: string; head: number }[];
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
    async claimAlias(deviceId, alias, userName, at) {
      db.prepare('INSERT INTO device_aliases (device_id, alias, user_name, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
        deviceId,
        alias,
        userName,
        at,
      );
      return db.prepare('SELECT user_name FROM device_aliases WHERE device_id = ? AND alias = ?').pluck().get(deviceId, alias) as string;
    },
    async aliasOwner(deviceId, alias) {
      return (db.prepare('SELECT user_name FROM device_aliases WHERE device_id = ? AND alias = ?').pluck().get(deviceId, alias) as string | undefined) ?? null;
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
