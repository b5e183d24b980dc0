// Bare replicas for property tests (no engine around them): writers on in-memory databases that
// commit ops the way the engine does, receivers on files that can be closed and opened again, and
// a snapshot of everything a replica derives from its ops, to compare replicas table by table.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyChains, verifyCustody } from '../../electron/engine/core/chain';
import { databaseFileName, openDatabase } from '../../electron/engine/core/database';
import { openReplica, writeMeta, type Replica } from '../../electron/engine/core/replica';
import { migrate } from '../../electron/engine/core/schema';
import { tempDir } from './temp';

/** An empty replica database at the newest schema, made once and copied for each replica. */
let template: Buffer | undefined;
function emptyReplicaDatabase(): Buffer {
  if (!template) {
    const db = new Database(':memory:');
    migrate(db);
    template = db.serialize();
    db.close();
  }
  return template;
}

export interface Writer {
  readonly db: Database.Database;
  readonly replica: Replica;
  readonly actorId: string;
  close(): void;
}

/** A device that writes: fixed device id and user, in memory. */
export function openWriter(deviceId: string, actorId: string, now: () => number): Writer {
  const db = new Database(emptyReplicaDatabase());
  db.pragma('foreign_keys = ON');
  writeMeta(db, 'device_id', deviceId);
  writeMeta(db, 'actor_id', actorId);
  return { db, replica: openReplica(db, { now }), actorId, close: () => db.close() };
}

export interface Receiver {
  readonly db: Database.Database;
  readonly replica: Replica;
  /** Closes the database file and opens it again, as a restart of the app does. */
  reopen(): void;
  /** Closes it and deletes its folder. */
  dispose(): void;
}

/** A replica on a file in its own temp folder, opened the way the engine opens one. */
export function openReceiver(now: () => number): Receiver {
  const dir = tempDir('holdfast-prop-');
  writeFileSync(join(dir, databaseFileName), emptyReplicaDatabase());
  const open = () => {
    const db = openDatabase(dir);
    // What is tested is what the replica holds, not that it survives a power cut: no fsync per batch.
    db.pragma('synchronous = OFF');
    migrate(db);
    return { db, replica: openReplica(db, { now }) };
  };
  let current = open();
  return {
    get db() {
      return current.db;
    },
    get replica() {
      return current.replica;
    },
    reopen() {
      current.db.close();
      current = open();
    },
    dispose() {
      if (current.db.open) current.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tables that are not derived from ops: this replica's identity, sync bookkeeping, queues, its own claims, rows from before the op log. */
const localTables = new Set([
  'ops',
  'legacy_incidents',
  'replica_meta',
  'schema_migrations',
  'sync_peers',
  'sync_cursors',
  'sync_pushed',
  'sync_rejections',
  'fts_backlog',
  'delivery_claims',
  'outbox_settles',
  'ops_held',
]);

/** The projection tables of a replica database (found from its schema, so a new table is compared without being listed). */
export function projectionTables(db: Database.Database): string[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name")
    .pluck()
    .all() as string[];
  return tables.filter((table) => !localTables.has(table));
}

/** Every row of a table, in an order that depends only on the rows. */
export function rowsOf(db: Database.Database, table: string): unknown[][] {
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  return db
    .prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table} ORDER BY ${columns.map((c) => `"${c}"`).join(', ')}`)
    .raw()
    .all() as unknown[][];
}

/** What a replica holds that must be equal on every replica with the same ops. */
export function snapshotOf(db: Database.Database, replica: Replica) {
  const chains = verifyChains(db);
  return {
    digest: replica.digest(),
    tables: Object.fromEntries(projectionTables(db).map((table) => [table, rowsOf(db, table)])),
    runbookSearch: db.prepare('SELECT runbook_id, title, meta, body FROM runbook_fts ORDER BY runbook_id').raw().all(),
    ops: db.prepare('SELECT op_id, hash FROM ops ORDER BY op_id').raw().all(),
    chains: { chains: chains.chains, ops: chains.ops, firstBreak: chains.firstBreak },
    custody: verifyCustody(db),
  };
}
