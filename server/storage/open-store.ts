// Picks the storage driver: PostgreSQL when a database URL is given, the SQLite file otherwise.
import { openSqliteSyncStore } from './sqlite-store';
import type { SyncStore } from './sync-store';

export async function openSyncStore(options: { dataDir: string; databaseUrl?: string }): Promise<SyncStore> {
  if (options.databaseUrl) {
    const { openPostgresSyncStore } = await import('./postgres-store');
    return openPostgresSyncStore(options.databaseUrl);
  }
  return openSqliteSyncStore(options.dataDir);
}
