// Delivery claims kept in a SQLite table: the central service's SQLite driver (outbox_claims) and a
// replica that coordinates alone (delivery_claims) both use it. Read, decide (shared rules) and
// write run in one IMMEDIATE transaction, which takes the write lock before reading, so another
// connection to the same file cannot decide on the same row at the same time.
import type { Database } from 'better-sqlite3';
import { decideClaim, decideSettle, toDeliveryClaim, type ClaimRow, type DeliveryClaim } from '../delivery-claims';
import type { ClaimResponse, SettleRequest, SettleResponse } from '../sync';

export function sqliteDeliveryClaims(db: Database, table: 'outbox_claims' | 'delivery_claims') {
  const claimOf = db.prepare(`SELECT holder, lease_until, state, previous_holder, updated_at FROM ${table} WHERE key = ?`);
  const writeClaim = db.prepare(`INSERT INTO ${table} (key, holder, lease_until, state, previous_holder, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, state = excluded.state,
      previous_holder = excluded.previous_holder, updated_at = excluded.updated_at`);
  const current = (key: string) => {
    const row = claimOf.get(key) as ClaimRow | undefined;
    return row ? toDeliveryClaim(row) : null;
  };
  const write = (key: string, next: DeliveryClaim | null) => {
    if (next) writeClaim.run(key, next.holder, next.leaseUntil, next.state, next.previousHolder, next.updatedAt);
  };
  const claim = db.transaction((key: string, holder: string, leaseMs: number, now: number): ClaimResponse => {
    const { response, next } = decideClaim(current(key), holder, leaseMs, now);
    write(key, next);
    return response;
  });
  const settle = db.transaction((key: string, holder: string, outcome: SettleRequest['outcome'], now: number): SettleResponse => {
    const { response, next } = decideSettle(current(key), key, holder, outcome, now);
    write(key, next);
    return response;
  });
  return {
    claim: (key: string, holder: string, leaseMs: number, now: number) => claim.immediate(key, holder, leaseMs, now),
    settle: (key: string, holder: string, outcome: SettleRequest['outcome'], now: number) => settle.immediate(key, holder, outcome, now),
  };
}
