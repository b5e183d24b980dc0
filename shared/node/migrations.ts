// The migration runner shared by replicas and the central service: numbered SQL migrations,
// applied in order at start. Each is recorded with a checksum, so a data
// directory written by a newer build, or migrations edited after release, are refused before any
// write instead of being half-understood.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function parseMigrationFiles(files: Record<string, string>): Migration[] {
  const migrations = Object.entries(files).map(([path, sql]) => {
    const match = /(\d+)_([a-z0-9_-]+)\.sql$/i.exec(path);
    if (!match) throw new Error(`Migration file ${path} must be named NNN_name.sql`);
    return { version: Number(match[1]), name: match[2], sql };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3… without gaps; found ${migration.version} at position ${index + 1}`);
    }
  });
  return migrations;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Refuses a database that a newer build migrated (`upgradeHint` says what to do) or whose applied
 * migrations differ from this build's, before anything is written to it.
 */
export function checkApplied(applied: AppliedMigration[], bundled: Migration[], upgradeHint: string): void {
  const newest = bundled.at(-1)?.version ?? 0;
  for (const row of applied) {
    const known = bundled.find((m) => m.version === row.version);
    if (!known) {
      throw new MigrationError(`This data was written by a newer Holdfast (schema ${applied.at(-1)?.version}, this build knows ${newest}). ${upgradeHint}`);
    }
    if (checksum(known.sql) !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.version} (${row.name}) differs from the one this database was built with. ` +
          'Restore a backup made by this build or use the matching Holdfast release.',
      );
    }
  }
}

/** Brings the database up to the newest migration; returns the schema version it ends at. */
export function migrate(db: Database, migrations: Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedMigration[];

  checkApplied(applied, migrations, 'Upgrade Holdfast, or open a different data directory.');

  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const migration of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, checksum(migration.sql), Date.now());
    })();
  }
  return migrations.at(-1)?.version ?? 0;
}
