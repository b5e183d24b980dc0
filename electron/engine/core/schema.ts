// The replica's schema: the numbered SQL migrations shipped with this build, applied by the shared
// migration runner.
import type { Database } from 'better-sqlite3';
import { migrate as runMigrations, parseMigrationFiles, type Migration } from '@shared/node/migrations';

export { MigrationError, type Migration } from '@shared/node/migrations';

const sources = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true });

/** The migrations shipped with this build, ordered by version. */
export const bundledMigrations: Migration[] = parseMigrationFiles(sources);

/** Brings the replica up to the newest migration; returns the schema version it ends at. */
export function migrate(db: Database, migrations: Migration[] = bundledMigrations): number {
  return runMigrations(db, migrations);
}
