// Picks the storage driver: PostgreSQL when a database URL is given, the SQLite file otherwise.
import { openSqliteSyncStore } from './sqlite-store';
import type { SyncStore } from './sync-store';

export async function openSyncStore(options: { dataDir: string; databaseUrl?: string; readDatabaseUrl?: string }): Promise<SyncStore> {
  if (options.databaseUrl) {
    const { openPostgresSyncStore } = await import('./postgres-store');
    return openPostgresSyncStore(options.databaseUrl, { readUrl: options.readDatabaseUrl });
  }
  if (options.readDatabaseUrl) throw new Error('DATABASE_READ_URL names a PostgreSQL read replica: set DATABASE_URL to its primary as well, or unset it');
  return openSqliteSyncStore(options.dataDir);
}
