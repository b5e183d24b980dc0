// Whether a replica's schema is exactly what Holdfast's migrations made: every table, index,
// trigger and view in sqlite_master is compared with those of an empty in-memory database the same
// migrations built. A trigger, view, table or index added by hand (one that rewrites every new
// timeline entry, say) or a changed definition is named, so verify and restore can refuse it.
import Database from 'better-sqlite3';
import { checkApplied, checksum, type AppliedMigration } from '@shared/node/migrations';
import { bundledMigrations, migrate, type Migration } from './schema';

export interface SchemaObject {
  type: string;
  name: string;
  tableName: string;
  sql: string | null;
}

export interface SchemaAudit {
  /** The schema version the database says it is at (0 when it has no migrations table). */
  version: number;
  /** Objects the migrations did not create, or whose definition differs, or that are missing; empty when the schema matches. */
  problems: string[];
}

/**
 * SQLite's own statistics tables (ANALYZE, PRAGMA optimize) change query plans only, never data.
 * sqlite_sequence comes with the AUTOINCREMENT tables the migrations create and is compared as usual.
 */
const isSqliteStatistics = (name: string) => /^sqlite_stat\d$/.test(name);

/** Migration 2 keeps schema-1 incidents in legacy_incidents until the engine turns them into ops and drops it (legacy.ts). */
const droppedOnOpen = new Set(['table legacy_incidents', 'index sqlite_autoindex_legacy_incidents_1']);

export function schemaObjects(db: Database.Database): SchemaObject[] {
  return db
    .prepare("SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master WHERE type IN ('table', 'index', 'trigger', 'view') ORDER BY type, name")
    .all() as SchemaObject[];
}

const expectedByVersion = new Map<string, Map<string, SchemaObject>>();

/** The objects `migrations` create in an empty database, keyed `type name` (cached: the migrations are fixed). */
export function expectedSchema(migrations: readonly Migration[]): Map<string, SchemaObject> {
  const key = migrations.map((m) => `${m.version}:${checksum(m.sql)}`).join(',');
  let expected = expectedByVersion.get(key);
  if (!expected) {
    const scratch = new Database(':memory:');
    try {
      migrate(scratch, [...migrations]);
      expected = new Map(schemaObjects(scratch).map((o) => [`${o.type} ${o.name}`, o]));
    } finally {
      scratch.close();
    }
    expectedByVersion.set(key, expected);
  }
  return expected;
}

/** Compares `db`'s schema with the one the migrations it records would have built. */
export function auditSchema(db: Database.Database, migrations: readonly Migration[] = bundledMigrations): SchemaAudit {
  const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  if (!hasMigrations) return { version: 0, problems: ['it has no schema_migrations table: it is not a Holdfast replica'] };
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
  const version = applied.at(-1)?.version ?? 0;
  try {
    checkApplied(applied, [...migrations], 'Verify it with the Holdfast that made it.');
  } catch (error) {
    return { version, problems: [(error as Error).message] };
  }
  if (applied.some((row, index) => row.version !== index + 1)) {
    return {
      version,
      problems: [`its schema_migrations table lists versions ${applied.map((r) => r.version).join(', ')}: migrations are applied 1, 2, 3… without gaps`],
    };
  }
  const expected = expectedSchema(migrations.slice(0, version));
  const problems: string[] = [];
  const present = new Set<string>();
  for (const object of schemaObjects(db)) {
    const key = `${object.type} ${object.name}`;
    present.add(key);
    if (object.type === 'table' && isSqliteStatistics(object.name)) continue;
    const wanted = expected.get(key);
    if (!wanted) problems.push(`${object.type} ${object.name} (on ${object.tableName}) was not created by Holdfast's migrations`);
    else if (wanted.sql !== object.sql || wanted.tableName !== object.tableName)
      problems.push(`${object.type} ${object.name} differs from the definition Holdfast's migrations give it`);
  }
  for (const [key, object] of expected) {
    if (!present.has(key) && !droppedOnOpen.has(key)) problems.push(`${object.type} ${object.name} that Holdfast's migrations create is missing`);
  }
  return { version, problems };
}

/** One line for a refusal: the first problems, and how many more. */
export function describeSchemaProblems(problems: readonly string[], shown = 3): string {
  const more = problems.length > shown ? `; and ${problems.length - shown} more` : '';
  return `its schema is not the one Holdfast's migrations create: ${problems.slice(0, shown).join('; ')}${more}`;
}
