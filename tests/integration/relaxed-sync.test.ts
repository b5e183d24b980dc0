// Commits that need not wait for the disk run with synchronous = NORMAL and put FULL back after,
// even when they fail; inside a transaction the enclosing commit decides.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withRelaxedSync } from '../../electron/engine/core/relaxed-sync';

const full = 2;
const normal = 1;

function database() {
  const db = new Database(':memory:');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (x INTEGER)');
  return db;
}

describe('withRelaxedSync', () => {
  it('commits with synchronous = NORMAL and restores FULL afterwards', () => {
    const db = database();
    const seen = withRelaxedSync(db, () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      return db.pragma('synchronous', { simple: true });
    });
    expect(seen).toBe(normal);
    expect(db.pragma('synchronous', { simple: true })).toBe(full);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('restores FULL when the work throws', () => {
    const db = database();
    expect(() =>
      withRelaxedSync(db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.pragma('synchronous', { simple: true })).toBe(full);
  });

  it('leaves the setting alone inside a transaction', () => {
    const db = database();
    const seen = db.transaction(() => withRelaxedSync(db, () => db.pragma('synchronous', { simple: true })))();
    expect(seen).toBe(full);
  });
});
