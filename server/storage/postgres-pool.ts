// The PostgreSQL connection pool as the sync store uses it: bigint columns read as JS numbers,
// transactions retried on deadlock or serialization failure, and migrations run one node at a time.
import pg from 'pg';
import type { CustomTypesConfig, DatabaseError, PoolClient } from 'pg';
import { checkApplied, checksum, parseMigrationFiles, type Migration } from '@shared/node/migrations';

export const migrations = parseMigrationFiles(import.meta.glob<string>('./migrations/postgres/*.sql', { query: '?raw', import: 'default', eager: true }));

/** Held (per transaction) while migrating, so nodes starting together on one database take turns. */
const migrationLockKey = 0x486f6c64_6d6967n; // "Holdmig"

export const poolSize = 10;
const maxAttempts = 5;

const int8Oid = pg.types.builtins.INT8;

/** bigint columns arrive as text; every one of ours fits a JS number, and we refuse one that does not. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JS number`);
  return value;
}

/** Per-pool type parsers, so this does not change pg's global ones for anyone else in the process. */
export const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === Number(int8Oid) && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

export const sqlState = (error: unknown): string | undefined => (error as Partial<DatabaseError> | null)?.code;

/** Deadlock detected, serialization failure: the transaction was rolled back and may simply be run again. */
const isRetryable = (error: unknown) => ['40P01', '40001'].includes(sqlState(error) ?? '');

/** Runs `work` in a transaction, run again (up to 5 times) on a deadlock, a serialization failure or an error `retryAlso` names. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>, retryAlso?: (error: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: the pool discards it below
      });
      if ((isRetryable(error) || retryAlso?.(error)) && attempt < maxAttempts) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Brings the database up to the newest migration, one node at a time; returns the schema version. */
export async function migrate(pool: pg.Pool, bundled: Migration[]): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const applied = (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version'))
      .rows;

    checkApplied(applied, bundled, 'Upgrade every service node, or point DATABASE_URL at a different database.');
    for (const migration of bundled.slice(applied.length)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        checksum(migration.sql),
        Date.now(),
      ]);
    }
    return bundled.at(-1)?.version ?? 0;
  });
}
