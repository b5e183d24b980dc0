// Ops stamped too far ahead of this replica's clock to be taken yet (a sender's clock hours or
// days fast): kept here, outside the op log, in the transaction that would have applied them, so a
// pull cursor may move past them; applied again once their time is near (Replica.retryClockHeld).
import type { Database } from 'better-sqlite3';
import type { Op } from '@shared/ops';

export interface ClockHeldOp {
  op: Op;
  source: string | null;
}

export function createClockHeld(db: Database) {
  const hold = db.prepare(`INSERT INTO ops_clock_held (op_id, op, reason, source, due_at, held_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (op_id) DO UPDATE SET reason = excluded.reason, due_at = excluded.due_at`);
  const due = db.prepare('SELECT op, source FROM ops_clock_held WHERE due_at <= ? ORDER BY due_at LIMIT ?');
  const release = db.prepare('DELETE FROM ops_clock_held WHERE op_id = ?');
  const countFrom = db.prepare('SELECT count(*) FROM ops_clock_held WHERE source IS ?').pluck();
  const count = db.prepare('SELECT count(*) FROM ops_clock_held').pluck();
  return {
    hold(op: Op, reason: string, source: string | null, dueAt: number, at: number): void {
      hold.run(op.opId, JSON.stringify(op), reason, source, dueAt, at);
    },
    /** Held ops whose time has come (at `time`, the corrected clock), oldest due first. */
    due(time: number, limit: number): ClockHeldOp[] {
      return (due.all(time, limit) as { op: string; source: string | null }[]).map((row) => ({ op: JSON.parse(row.op) as Op, source: row.source }));
    },
    release(opId: string): void {
      release.run(opId);
    },
    /** How many ops are held from `source` (a peer id), or from anywhere when undefined. */
    count(source?: string | null): number {
      return (source === undefined ? count.get() : countFrom.get(source)) as number;
    },
  };
}
export type ClockHeld = ReturnType<typeof createClockHeld>;
