// Migrations over data: a replica database at every schema version 1..newest-1, holding what a
// replica of that version held (ops in the op log, their projections, sync bookkeeping; see
// tests/fixtures/replica-history.ts), is migrated to the newest schema. Nothing may be lost or
// changed, the migrations that rewrite rows (009 and 015 fill new columns, 010 drops replayed
// custody events) must give exactly the expected rows, and the projections rebuilt from the op
// log must equal the migrated tables. The central service's SQLite migrations get the same test.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Op, OpDraft } from '@shared/ops';
import { migrate as runMigrations, parseMigrationFiles } from '@shared/node/migrations';
import { hexOfStored } from '@shared/node/op-rows';
import { verifyChains, verifyCustody } from '../../electron/engine/core/chain';
import { importLegacyIncidents } from '../../electron/engine/core/legacy';
import { openReplica } from '../../electron/engine/core/replica';
import { bundledMigrations } from '../../electron/engine/core/schema';
import { shownBody } from '../../electron/engine/reviews/review-queries';
import { proveDatabase } from '../../electron/engine/core/projection-proof';
import { devices, incidentA, incidentC, replicaHistory, type DeviceName } from '../fixtures/replica-history';
import { serviceHistory } from '../fixtures/service-history';
import { openWriter, projectionTables, rowsOf, type Writer } from '../support/replica-scenario';

const newest = bundledMigrations.length;
const start = 1_795_000_000_000;

/** The tables of a database (FTS internals left out: they follow their tables). */
function tablesOf(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY name")
    .pluck()
    .all() as string[];
}
const columnsOf = (db: Database.Database, table: string) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];

/** Rows of `table` restricted to `columns`, in an order that depends only on the rows. */
function rowsIn(db: Database.Database, table: string, columns: string[]): unknown[][] {
  const list = columns.map((c) => `"${c}"`).join(', ');
  return db.prepare(`SELECT ${list} FROM ${table} ORDER BY ${list}`).raw().all() as unknown[][];
}

/** Before schema 23 the op log held its hashes as hex text (the genesis link as 64 zeros); since, as bytes (genesis: NULL). */
const hexHashesBefore = 23;
const hashColumns = new Set(['prev_hash', 'hash']);
function opRowsWithHexHashes(rows: unknown[][], columns: string[]): unknown[][] {
  return rows.map((row) => row.map((value, i) => (hashColumns.has(columns[i]) ? hexOfStored(value as string | Uint8Array | null) : value)));
}

function copyRows(from: Database.Database, to: Database.Database, table: string, columns: string[], version = newest): void {
  const stored = rowsIn(from, table, columns);
  const rows = table === 'ops' && version < hexHashesBefore ? opRowsWithHexHashes(stored, columns) : stored;
  const insert = to.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) insert.run(...row);
}

interface History {
  /** A replica at the newest schema that received every op of versions 1..N in the order they were written. */
  reference: Writer;
  ops: Op[];
  close(): void;
}

/** The ops written at versions 1..n, each device having seen the other's before its next commit. */
function historyUpTo(n: number): History {
  const clock = { now: start };
  const writers: Record<DeviceName, Writer> = {
    alice: openWriter(devices.alice.deviceId, devices.alice.actorId, () => clock.now),
    bob: openWriter(devices.bob.deviceId, devices.bob.actorId, () => clock.now),
  };
  const reference = openWriter('00000000000000ff', 'reference', () => clock.now);
  const made = new Map<string, Op>();
  const ops: Op[] = [];
  for (let version = 1; version <= n; version += 1) {
    for (const commitOf of replicaHistory[version].commits ?? []) {
      clock.now += 10;
      const commit = commitOf(made);
      const written = writers[commit.device].replica.commitLocal(commit.drafts as OpDraft[]);
      commit.names?.forEach((name, i) => made.set(name, written[i]));
      ops.push(...written);
      // Alice's replica is the one migrated: her ops are her own, Bob's came from the central service.
      expect(reference.replica.applyRemote(written, commit.device === 'bob' ? 'central-1' : undefined).every((r) => r.status === 'accepted')).toBe(true);
      writers[commit.device === 'alice' ? 'bob' : 'alice'].replica.applyRemote(written);
    }
  }
  return {
    reference,
    ops,
    close() {
      for (const writer of [...Object.values(writers), reference]) writer.close();
    },
  };
}

/** Custody events as builds before migration 010 projected them: one row per op, replays included. */
function custodyRowsBefore010(ops: Op[]): unknown[][] {
  return ops
    .filter((op) => op.entity === 'custody_event')
    .map((op) => {
      const f = op.fields;
      return [
        op.rowId,
        f.eventId,
        f.incidentId,
        f.artifactId,
        f.action,
        f.from,
        f.to,
        f.purpose,
        f.note,
        f.sha256,
        f.result,
        f.corrects,
        f.at,
        op.actorId,
        f.prevHash,
        f.hash,
        op.hlc,
      ];
    });
}

/**
 * A replica database at schema `n`: migrations 1..n, each followed by the SQL rows of its version,
 * then the op log and the projections a replica of that version held for the ops of versions 1..n.
 */
function databaseAt(n: number, history: History): Database.Database {
  const db = new Database(':memory:');
  for (let version = 1; version <= n; version += 1) {
    runMigrations(db, bundledMigrations.slice(0, version));
    const sql = replicaHistory[version].sql;
    if (sql) db.exec(sql);
  }
  const present = new Set(tablesOf(db));
  const ref = history.reference.db;
  for (const table of [...projectionTables(ref), 'ops']) {
    if (!present.has(table)) {
      expect(ref.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), `${table} has rows at version ${n} but no table`).toBe(0);
      continue;
    }
    const here = new Set(columnsOf(db, table));
    const columns = columnsOf(ref, table).filter((c) => here.has(c));
    if (table === 'custody_events' && n < 10) {
      const insert = db.prepare(
        `INSERT INTO custody_events (${columnsOf(db, table).join(', ')}) VALUES (${columnsOf(db, table)
          .map(() => '?')
          .join(', ')})`,
      );
      for (const row of custodyRowsBefore010(history.ops)) insert.run(...row);
    } else {
      copyRows(ref, db, table, columns, n);
    }
  }
  if (present.has('runbook_fts')) copyRows(ref, db, 'runbook_fts', ['runbook_id', 'title', 'meta', 'body']);
  return db;
}

/** Every table's rows, restricted to its columns at the time. */
function contentsOf(db: Database.Database): Map<string, { columns: string[]; rows: unknown[][] }> {
  return new Map(
    tablesOf(db)
      .filter((t) => t !== 'schema_migrations')
      .map((table) => {
        const columns = table === 'runbook_fts' ? ['runbook_id', 'title', 'meta', 'body'] : columnsOf(db, table);
        return [table, { columns, rows: rowsIn(db, table, columns) }];
      }),
  );
}

describe('replica migrations over data', () => {
  const versions = Array.from({ length: newest - 1 }, (_, i) => i + 1);

  it.each(versions)('a replica at schema %i keeps everything it held when migrated to the newest', (n) => {
    const history = historyUpTo(n);
    const db = databaseAt(n, history);
    try {
      const before = contentsOf(db);
      // verify-chain and verify prove a file of this schema as it is: its schema exactly migrations 1..n, its projections what its op log gives.
      expect(proveDatabase(db).problem, `schema ${n}`).toBeNull();
      runMigrations(db, bundledMigrations);
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(Array.from({ length: newest }, (_, i) => i + 1));

      // Every row of every table is still there with the same values (010's replays aside).
      for (const [table, { columns, rows }] of before) {
        const now = table === 'incidents' && n === 1 ? 'legacy_incidents' : table;
        const expected = table === 'custody_events' && n < 10 ? rowsIn(history.reference.db, table, columns) : rows;
        const after = rowsIn(db, now, columns);
        expect(table === 'ops' && n < hexHashesBefore ? opRowsWithHexHashes(after, columns) : after, `${table} at schema ${n}`).toEqual(expected);
      }
      // The projections equal, column for column, what the newest build projects from the same ops.
      for (const table of projectionTables(history.reference.db)) {
        expect(rowsOf(db, table), `${table} from schema ${n}`).toEqual(rowsOf(history.reference.db, table));
      }
      expect(rowsIn(db, 'runbook_fts', ['runbook_id', 'title', 'meta', 'body'])).toEqual(
        rowsIn(history.reference.db, 'runbook_fts', ['runbook_id', 'title', 'meta', 'body']),
      );

      expectRowTransformations(db, n, before);

      // Opened by the engine: incidents from before the op log become ops; then the projections
      // rebuilt from the op log are the migrated tables, and every chain verifies.
      const replica = openReplica(db, { now: () => start + 1_000_000 });
      expect(importLegacyIncidents(db, replica)).toBe(2);
      expect(db.prepare("SELECT title FROM incidents WHERE title LIKE 'Legacy%' ORDER BY title").pluck().all()).toEqual(['Legacy blip', 'Legacy outage']);
      expect(replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
      const chains = verifyChains(db);
      expect(chains.firstBreak).toBeNull();
      expect(chains.ops).toBe(history.reference.replica.opLog.count() + 2);
      expect(verifyCustody(db).problem).toBeNull();
    } finally {
      db.close();
      history.close();
    }
  });
});

/** 009 and 015 fill new columns of existing rows; 010 keeps the first record of each custody event id; 023 stores hashes as bytes. */
function expectRowTransformations(db: Database.Database, n: number, before: Map<string, { columns: string[]; rows: unknown[][] }>): void {
  if (n >= 2 && n < hexHashesBefore) {
    // Each hash is its 32 bytes, the genesis link NULL, and the same hash read back as hex.
    const ops = before.get('ops')!;
    const at = (column: string) => ops.columns.indexOf(column);
    const stored = db.prepare('SELECT op_id, prev_hash, hash FROM ops ORDER BY seq').raw().all() as [string, Buffer | null, Buffer][];
    expect(stored).toHaveLength(ops.rows.length);
    const genesis = ops.rows.filter((row) => row[at('prev_hash')] === '0'.repeat(64)).length;
    expect(genesis).toBeGreaterThan(0);
    expect(stored.filter(([, prev]) => prev === null)).toHaveLength(genesis);
    expect(stored.every(([, prev, hash]) => hash.length === 32 && (prev === null || prev.length === 32))).toBe(true);
    expect(stored.map(([opId, , hash]) => [opId, hash.toString('hex')])).toEqual(ops.rows.map((row) => [row[at('op_id')], row[at('hash')]]));
  }
  if (n >= 7 && n < 9) {
    expect(db.prepare('SELECT id, override FROM runbook_steps ORDER BY id').raw().all()).toEqual([[`${incidentA}/run1/1`, '']]);
  }
  if (n === 8) expect(db.prepare('SELECT id, updated_by FROM checklist_templates').raw().all()).toEqual([['ransomware', '']]);
  if (n >= 8 && n < 10) {
    // Before 010 the replay was a second row; after it, the event's first record (Alice's) alone.
    expect(before.get('custody_events')!.rows).toHaveLength(3);
    expect(db.prepare('SELECT action, actor_id FROM custody_events ORDER BY hlc').raw().all()).toEqual([
      ['collected', 'alice'],
      ['transferred', 'alice'],
    ]);
    expect(db.prepare("SELECT count(*) FROM custody_events WHERE actor_id = 'bob'").pluck().get()).toBe(0);
  }
  if (n >= 12 && n < 15) {
    // The review written before 015 keeps its text in body; the new columns hold their defaults.
    expect(db.prepare('SELECT body, generated_body, is_edited FROM reviews WHERE incident_id = ?').raw().get(incidentA)).toEqual([
      '# Review\n\nThe provider timed out; we had no alert.',
      '',
      0,
    ]);
    // …and it still shows that text, not the empty generated draft.
    const review = db.prepare('SELECT body, generated_body, is_edited FROM reviews WHERE incident_id = ?').get(incidentA) as Parameters<typeof shownBody>[0];
    expect(shownBody(review)).toBe('# Review\n\nThe provider timed out; we had no alert.');
    expect(db.prepare('SELECT count(*) FROM reviews WHERE incident_id = ?').pluck().get(incidentC)).toBe(0);
  }
}

describe('central service SQLite migrations over data', () => {
  const migrations = parseMigrationFiles(import.meta.glob<string>('../../server/storage/migrations/sqlite/*.sql', { query: '?raw', import: 'default', eager: true }));
  const versions = Array.from({ length: migrations.length - 1 }, (_, i) => i + 1);

  it.each(versions)('a service database at schema %i keeps every row when migrated to the newest', (n) => {
    const db = new Database(':memory:');
    try {
      for (let version = 1; version <= n; version += 1) {
        runMigrations(db, migrations.slice(0, version));
        db.exec(serviceHistory[version]);
      }
      const before = contentsOf(db);
      runMigrations(db, migrations);
      for (const [table, { columns, rows }] of before) expect(rowsIn(db, table, columns), `${table} at schema ${n}`).toEqual(rows);
      // 005 rebuilt the users table: same rows, the new role allowed, one active user per name still enforced.
      db.prepare("INSERT INTO users (name, role, token_hash, created_at) VALUES ('deploy-bot', 'pipeline', 'h-bot', 1)").run();
      expect(() => db.prepare("INSERT INTO users (name, role, token_hash, created_at) VALUES ('alice', 'viewer', 'h-x', 1)").run()).toThrow(/UNIQUE/);
      expect(db.prepare('SELECT name FROM sqlite_master WHERE name = ?').pluck().get('users_active_name')).toBe('users_active_name');
    } finally {
      db.close();
    }
  });
});
