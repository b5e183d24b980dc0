// The engine on a real SQLite file: incidents persist across reopen, migrations are checked.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatch } from '@shared/rpc';
import { databaseFileName } from '../../electron/engine/core/database';
import { openEngine, type Engine } from '../../electron/engine/engine';
import { bundledMigrations, migrate } from '../../electron/engine/core/schema';
import { parseMigrationFiles } from '@shared/node/migrations';
import { call } from '../support/engines';
import { tempDir } from '../support/temp';

const open: Engine[] = [];
function engineAt(dataDir: string, now?: () => number): Engine {
  const engine = openEngine({ dataDir, host: 'web', now });
  open.push(engine);
  return engine;
}
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
});

describe('engine', () => {
  it('declares incidents and lists them newest first, after a reopen too', async () => {
    const dataDir = tempDir();
    let clock = 1_795_000_000_000;
    const engine = engineAt(dataDir, () => clock);
    const first = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '502s' });
    clock += 60_000;
    await call(engine, 'incidents.create', { title: 'Search slow', severity: 'SEV3', summary: '' });
    expect(first).toMatchObject({ status: 'investigating', declaredAt: 1_795_000_000_000, updatedAt: 1_795_000_000_000 });
    await engine.close();

    const reopened = engineAt(dataDir);
    const listed = await call(reopened, 'incidents.list', { limit: 200 });
    expect(listed.map((i) => i.title)).toEqual(['Search slow', 'Checkout down']);
    expect(listed[1]).toEqual(first);
  });

  it('opens the replica in WAL mode with foreign keys and full sync', () => {
    const engine = engineAt(tempDir());
    expect(engine.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(engine.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(engine.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('pushes an event for each declared incident', async () => {
    const engine = engineAt(tempDir());
    const events: unknown[] = [];
    engine.onEvent((event, payload) => events.push([event, payload]));
    const incident = await call(engine, 'incidents.create', { title: 'DNS failing', severity: 'SEV2', summary: '' });
    // One commit: one event per kind of change, the incident (with its commander) and its timeline.
    expect(events).toEqual([
      ['incidents.changed', { incidentId: incident.id }],
      ['timeline.changed', { incidentId: incident.id }],
    ]);
  });

  it('changes nothing when a request is bad', async () => {
    const engine = engineAt(tempDir());
    const dispatch = createDispatch(engine.handlers);
    await dispatch('incidents.create', { title: 'Real one', severity: 'SEV2' });
    const bad = [
      { title: 'ok title', severity: 'SEV5' },
      { title: '', severity: 'SEV1' },
      { title: 'x'.repeat(201), severity: 'SEV1' },
      { title: 'ok title', severity: 'SEV1', summary: 12 },
      { title: 'ok title', severity: 'SEV1', id: 'forged' },
      [],
    ];
    for (const request of bad) expect((await dispatch('incidents.create', request)).ok).toBe(false);
    const count = engine.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number };
    expect(count.n).toBe(1);
  });
});

describe('migrations', () => {
  it('records each applied migration with its checksum and is idempotent', async () => {
    const dataDir = tempDir();
    await engineAt(dataDir).close();
    const engine = engineAt(dataDir);
    const rows = engine.db.prepare('SELECT version, name, length(checksum) AS n FROM schema_migrations').all();
    expect(rows).toEqual(bundledMigrations.map((m) => ({ version: m.version, name: m.name, n: 64 })));
  });

  it('refuses a database written by a newer Holdfast and leaves it untouched', async () => {
    const dataDir = tempDir();
    await engineAt(dataDir).close();
    const db = new Database(join(dataDir, databaseFileName));
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x', 0)").run();
    db.close();
    expect(() => openEngine({ dataDir, host: 'web' })).toThrow(/written by a newer Holdfast \(schema 99, this build knows \d+\)/);
    const check = new Database(join(dataDir, databaseFileName));
    expect(check.prepare('SELECT count(*) AS n FROM schema_migrations WHERE version = 99').get()).toEqual({ n: 1 });
    check.close();
  });

  it('refuses a database whose migration was edited after it was applied', () => {
    const db = new Database(':memory:');
    migrate(db, parseMigrationFiles({ './migrations/001_a.sql': 'CREATE TABLE a (x INTEGER);' }));
    expect(() => migrate(db, parseMigrationFiles({ './migrations/001_a.sql': 'CREATE TABLE a (x TEXT);' }))).toThrow(/Migration 1 \(a\) differs/);
  });

  it('applies a failing migration not at all', () => {
    const db = new Database(':memory:');
    const files = { './migrations/001_a.sql': 'CREATE TABLE a (x INTEGER);', './migrations/002_b.sql': 'CREATE TABLE b (y); SELEC oops;' };
    expect(() => migrate(db, parseMigrationFiles(files))).toThrow();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'a' }, { name: 'schema_migrations' }]);
  });

  it('rejects gaps in migration numbers', () => {
    expect(() => parseMigrationFiles({ './m/001_a.sql': '', './m/003_c.sql': '' })).toThrow(/without gaps/);
  });
});
