// Opens a replica's SQLite file with the settings every part of the engine relies on.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createPrivateFile, ensurePrivateDir, keepPrivate } from '@shared/node/private-files';

export const databaseFileName = 'holdfast.db';

/** WAL size (pages) at which a commit checkpoints by itself: a safety net behind the idle checkpointer. */
const autoCheckpointPages = 16_384;

/** The database file and the files SQLite keeps beside it. */
export const databaseFilesIn = (dataDir: string): string[] => {
  const file = join(dataDir, databaseFileName);
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
};

/**
 * Opens (creating if needed) the replica in `dataDir`. The folder is made 0700 and the database
 * 0600 before SQLite opens it, whatever the umask, and a folder or files an earlier build left
 * readable by others are tightened; SQLite gives the WAL and shared-memory files the database's mode.
 */
export function openDatabase(dataDir: string): Database.Database {
  ensurePrivateDir(dataDir);
  const [file, ...beside] = databaseFilesIn(dataDir);
  createPrivateFile(file);
  keepPrivate(...beside);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  keepPrivate(...beside);
  // FULL: a write the UI was told about survives a power cut, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
  return db;
}

/**
 * Checkpoints the WAL every 100 ms from a connection of its own on its own thread, instead of
 * inside whichever commit crosses SQLite's threshold or on the engine's thread. In WAL mode it runs
 * beside the engine's writes; checkpointing often keeps each one small, so the disk flush of a
 * user's write never queues behind a large one during a catch-up (`npm run bench -- worker`).
 * When nothing was written a tick costs nothing. Resolves the stop function once the checkpointer
 * has closed its connection.
 */
export function scheduleCheckpoints(db: Database.Database, intervalMs = 100): () => Promise<void> {
  const worker = new Worker(checkpointerSource, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: db.name, intervalMs },
  });
  worker.unref();
  // A checkpoint that failed is retried on the next tick; the engine's own auto-checkpoint stays
  // as the safety net, so nothing is lost by it.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return () => {
    // Held open until the checkpointer has closed its connection, or a process that is only
    // waiting for that would end with the wait unsettled.
    worker.ref();
    worker.postMessage('stop');
    return exited;
  };
}

/** The checkpointer thread: plain CommonJS, given the driver's resolved path. */
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
