// Opens a replica's SQLite file with the settings every part of the engine relies on.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const databaseFileName = 'holdfast.db';

/** WAL size (pages) at which a commit checkpoints by itself: a safety net behind the idle checkpointer. */
const autoCheckpointPages = 16_384;

export function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, databaseFileName));
  db.pragma('journal_mode = WAL');
  // FULL: a write the UI was told about survives a power cut, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
  return db;
}

/**
 * Checkpoints the WAL on a timer instead of inside whichever commit crosses SQLite's default
 * threshold, so acknowledging a write never waits for a checkpoint in normal use.
 */
export function scheduleCheckpoints(db: Database.Database, intervalMs = 5000): () => void {
  const timer = setInterval(() => {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
