// Commits that need not wait for the disk. The database runs with `synchronous = FULL`: a commit
// returns once it is on disk. Some writes can be redone after a power cut, so they commit with
// `synchronous = NORMAL` (in WAL mode: still atomic and never corrupt; only the newest such
// commits may be lost, and any later FULL commit makes them durable too, since the WAL is written
// in order). What qualifies: ops pulled from a peer that keeps them, the pull cursor and pushed
// marks (lost, they are fetched or pushed again: duplicates are harmless), and the search index
// (its backlog is dequeued in the same commit, so a lost chunk is indexed again).
import type { Database } from 'better-sqlite3';

/** Runs `work` (which commits) with `synchronous = NORMAL`, then restores what was set. */
export function withRelaxedSync<T>(db: Database, work: () => T): T {
  // Inside a transaction the enclosing commit decides.
  if (db.inTransaction) return work();
  const before = db.pragma('synchronous', { simple: true }) as number;
  if (before <= 1) return work();
  db.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}
